#!/usr/bin/env python3
"""The EBM iterations of bench/bench_pipeline.cpp in PyTorch-Python (Debian's python3-torch: the same
libtorch), as the runs they time do them (configs/experiment/*.yaml at the case's scale): chain starts
(uniform noise; the twin's persistent bank with 5% restarts), K Langevin steps through autograd, the
twin's clamp, a data batch (real Fashion-MNIST images with σ = 0.03 noise, or the rings), the
contrastive loss (the twin's energy L2), one Adam step. Prints the mean seconds per iteration over
--seconds of work as JSON.
cifar10_paper is the paper's CIFAR-10 iteration (5 conv 3x3 x 128 channels, ReLU, linear head; M = 64,
K = 100), for a GPU (--device cuda).

--form picks how the energy net runs while sampling, each as a Python user would write it:
  fp32      the net as built;
  autocast  the net under torch.autocast(bfloat16) (weights re-cast on every call);
  bf16      a bfloat16 copy of the net made once per iteration (after the Adam step), chains in
            channels-last memory format: a PyTorch user's fastest bf16 form on a CPU (measured on Intel
            with AMX, 2026-12-07: ~70 ms against ~80 for autocast on the twin).
The parameter update is fp32 in every form (as in the suite).

usage: ebm_iteration.py rings|fmnist|fmnist_twin|cifar10_paper [--seconds 3] [--device cpu|cuda]
                        [--form fp32|autocast|bf16]
"""
import argparse
import copy
import gzip
import json
import math
import time

import numpy as np

import torch
import torch.nn as nn

CASES = {  # name: (batch M, steps K, threads), as bench_pipeline.cpp composes them
    "rings": (100, 100, 1),
    "fmnist": (64, 40, 2),
    "fmnist_twin": (32, 10, 1),
    "cifar10_paper": (64, 100, 2),
}
FMNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def toy_mlp():
    layers, width = [], 2
    for h in (32, 64, 64, 64):
        layers += [nn.Linear(width, h), nn.LeakyReLU(0.05)]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 1))


def vanilla_net(n_f=16):
    act = lambda: nn.LeakyReLU(0.05)  # noqa: E731
    return nn.Sequential(nn.Conv2d(1, n_f, 3, 1, 1), act(), nn.Conv2d(n_f, 2 * n_f, 4, 2, 1), act(),
                         nn.Conv2d(2 * n_f, 4 * n_f, 4, 2, 1), act(), nn.Conv2d(4 * n_f, 8 * n_f, 4, 2, 2), act(),
                         nn.Conv2d(8 * n_f, 1, 4, 1, 0))


def conv_stack(channels=128, layers=5, side=32):
    mods, c_in = [], 3
    for _ in range(layers):
        mods += [nn.Conv2d(c_in, channels, 3, 1, 1), nn.ReLU()]
        c_in = channels
    return nn.Sequential(*mods, nn.Flatten(), nn.Linear(channels * side * side, 1))


def rings_batch(m):
    radius = torch.tensor([1.0, 2.0, 3.0, 4.0])[torch.randint(4, (m,))] + 0.15 * torch.randn(m)
    angle = 2 * math.pi * torch.rand(m)
    return torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)


def fmnist_images():
    """Fashion-MNIST's training images in [-1, 1], as the suite's dataset holds them."""
    with gzip.open(FMNIST) as f:
        raw = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    return torch.from_numpy(raw.copy()).float() / 127.5 - 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--form", choices=("fp32", "autocast", "bf16"), default="fp32")
    ap.add_argument("--bf16", action="store_true", help="same as --form autocast (kept for old commands)")
    a = ap.parse_args()
    if a.bf16:
        a.form = "autocast"
    dev = torch.device(a.device)
    m, k, threads = CASES[a.case]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    toy = a.case == "rings"
    paper = a.case == "cifar10_paper"
    twin = a.case == "fmnist_twin"
    net = (toy_mlp() if toy else conv_stack() if paper else vanilla_net()).to(dev)
    step, noise = (0.14, 0.3) if toy else (2.0, 0.01)
    lr = 1e-3 if toy else 5e-5 if twin else 1e-4
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    shape = (m, 2) if toy else (m, 3, 32, 32) if paper else (m, 1, 28, 28)
    low = 4.6 if toy else 1.0
    images = None if toy or paper else fmnist_images().to(dev)
    bank = torch.rand((10000,) + shape[1:], device=dev) * 2 - 1 if twin else None
    autocast = torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=a.form == "autocast")
    sampling_net = [net]

    def f(x):
        with autocast:
            return net(x).float()

    def f_sampling(x):
        if a.form != "bf16":
            return f(x)
        return sampling_net[0](x.to(torch.bfloat16).contiguous(memory_format=torch.channels_last)).float()

    def refresh_sampling_net():
        if a.form == "bf16":
            sampling_net[0] = copy.deepcopy(net).to(torch.bfloat16).to(memory_format=torch.channels_last)
            for p in sampling_net[0].parameters():
                p.requires_grad_(False)

    def starts():
        fresh = (torch.rand(shape, device=dev) * 2 - 1) * low
        if bank is None:
            return fresh, None
        slots = torch.randint(10000, (m,), device=dev)
        restart = (torch.rand(m, device=dev) < 0.05).reshape(-1, 1, 1, 1)
        return torch.where(restart, fresh, bank.index_select(0, slots)), slots

    def data():
        if toy:
            return rings_batch(m).to(dev)
        if paper:
            return torch.rand(shape, device=dev) * 2 - 1
        idx = torch.randint(images.shape[0], (m,), device=dev)
        return images.index_select(0, idx) + 0.03 * torch.randn(shape, device=dev)

    def iteration():
        refresh_sampling_net()
        for p in net.parameters():
            p.requires_grad_(False)
        z, slots = starts()
        for _ in range(k):
            z = z.detach().requires_grad_(True)
            grad, = torch.autograd.grad(f_sampling(z).sum(), z)
            z = z + 0.5 * step * grad + math.sqrt(step) * noise * torch.randn_like(z)
        for p in net.parameters():
            p.requires_grad_(True)
        z = z.detach()
        if twin:
            z = z.clamp(-1, 1)
            bank.index_copy_(0, slots, z)
        f_data, f_neg = f(data()), f(z)
        loss = f_neg.mean() - f_data.mean()
        if twin:
            loss = loss + 1e-3 * (f_data.pow(2).mean() + f_neg.pow(2).mean())
        opt.zero_grad()
        loss.backward()
        opt.step()

    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    iteration()  # warm-up
    sync()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < a.seconds:
        iteration()
        n += 1
        sync()  # what a training loop that logs or checks its loss pays per iteration
    print(json.dumps({"case": a.case, "device": a.device, "form": a.form,
                      "seconds_per_iteration": (time.perf_counter() - t0) / n, "iterations": n}))


if __name__ == "__main__":
    main()
