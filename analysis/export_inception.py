#!/usr/bin/env python3
"""Export pytorch-fid's FID-Inception as TorchScript for `features.inception.path`.

Rebuilds pytorch-fid's network on torchvision's inception_v3: the FIDInceptionA/C/E blocks of the
TensorFlow FID graph (average pools that do not count padded zeros; a max pool in the last block),
BatchNorm eps 1e-3, 1008 classes; loads pt_inception-2015-12-05-6726825d.pth (pytorch-fid's
release asset, which you download yourself) and saves a TorchScript module mapping
[B, 3, 299, 299] images in [-1, 1] to pool3 features [B, 2048]. stanley resizes to 299 (bilinear,
align_corners=False) and scales to [-1, 1] before calling it, as pytorch-fid does.

usage: export_inception.py --weights pt_inception-2015-12-05-6726825d.pth --out fid_inception.pt
       export_inception.py --random-weights --out fixture.pt      (tests: same graph, random weights)
"""
import argparse

import torch
import torch.nn.functional as F
from torchvision.models import inception as tv


class FIDInceptionA(tv.InceptionA):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        # TensorFlow's average pool ignores the padded zeros.
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b5, b3, bp], 1)


class FIDInceptionC(tv.InceptionC):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = self.branch7x7dbl_1(x)
        bd = self.branch7x7dbl_5(self.branch7x7dbl_4(self.branch7x7dbl_3(self.branch7x7dbl_2(bd))))
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b7, bd, bp], 1)


class FIDInceptionE(tv.InceptionE):
    def __init__(self, in_channels, max_pool):
        super().__init__(in_channels)
        self.max_pool = max_pool

    def forward(self, x):
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        if self.max_pool:  # the last block of the TF graph max-pools
            p = F.max_pool2d(x, kernel_size=3, stride=1, padding=1)
        else:
            p = F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)
        return torch.cat([b1, b3, bd, self.branch_pool(p)], 1)


class FIDInceptionPool3(torch.nn.Module):
    """[B, 3, 299, 299] in [-1, 1] -> [B, 2048] pool3 features."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        x = n.Conv2d_1a_3x3(x)
        x = n.Conv2d_2a_3x3(x)
        x = n.Conv2d_2b_3x3(x)
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        x = n.Conv2d_3b_1x1(x)
        x = n.Conv2d_4a_3x3(x)
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        for block in (n.Mixed_5b, n.Mixed_5c, n.Mixed_5d, n.Mixed_6a, n.Mixed_6b, n.Mixed_6c, n.Mixed_6d,
                      n.Mixed_6e, n.Mixed_7a, n.Mixed_7b, n.Mixed_7c):
            x = block(x)
        return F.adaptive_avg_pool2d(x, 1).flatten(1)


def fid_inception(weights=None):
    net = tv.Inception3(num_classes=1008, aux_logits=False, init_weights=False)
    net.Mixed_5b = FIDInceptionA(192, pool_features=32)
    net.Mixed_5c = FIDInceptionA(256, pool_features=64)
    net.Mixed_5d = FIDInceptionA(288, pool_features=64)
    net.Mixed_6b = FIDInceptionC(768, channels_7x7=128)
    net.Mixed_6c = FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6d = FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6e = FIDInceptionC(768, channels_7x7=192)
    net.Mixed_7b = FIDInceptionE(1280, max_pool=False)
    net.Mixed_7c = FIDInceptionE(2048, max_pool=True)
    if weights is not None:
        net.load_state_dict(torch.load(weights, map_location="cpu"))
    return FIDInceptionPool3(net).eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", help="pt_inception-2015-12-05-6726825d.pth (pytorch-fid's weights)")
    ap.add_argument("--random-weights", action="store_true", help="random weights (test fixture)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if not args.weights and not args.random_weights:
        ap.error("give --weights FILE (or --random-weights for a test fixture)")
    torch.manual_seed(args.seed)
    model = fid_inception(None if args.random_weights else args.weights)
    if args.random_weights:
        # Random BatchNorm statistics keep activations O(1) through 94 layers.
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    with torch.no_grad():
        scripted = torch.jit.trace(model, torch.zeros(1, 3, 299, 299))
    scripted.save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
