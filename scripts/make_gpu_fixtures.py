#!/usr/bin/env python3
"""Small files in the real on-disk formats, for `make gpu-check` on a machine without the datasets:
CIFAR-10's binary batches (cifar-10-batches-bin/*.bin: one label byte + 3,072 pixel bytes per record),
Oxford Flowers 102's jpg/ folder and CelebA's img_align_celeba/ with list_eval_partition.txt, and a
copy of Debian's Fashion-MNIST files when they are on this machine. Pixels are random: these check that
every path runs and time it, not what a model learns. Needs numpy and Pillow (Debian: python3-numpy,
python3-pil); run it where they are and carry the folder.

usage: make_gpu_fixtures.py OUT_DIR [--records 512] [--jpegs 300]
"""
import argparse
import os
import shutil

import numpy as np

FMNIST = "/usr/share/datasets/fashion-mnist"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=256, help="records per CIFAR-10 batch file")
    ap.add_argument("--jpegs", type=int, default=300, help="images per JPEG folder")
    a = ap.parse_args()
    from PIL import Image

    rng = np.random.default_rng(0)
    cifar = os.path.join(a.out, "cifar10", "cifar-10-batches-bin")
    os.makedirs(cifar, exist_ok=True)
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        labels = rng.integers(0, 10, size=(a.records, 1), dtype=np.uint8)
        pixels = rng.integers(0, 256, size=(a.records, 3072), dtype=np.uint8)
        np.concatenate([labels, pixels], axis=1).tofile(os.path.join(cifar, name))

    def picture(h, w):  # smooth random colour fields: small files, as real photographs are
        coarse = Image.fromarray(rng.integers(0, 256, size=(6, 6, 3), dtype=np.uint8))
        return coarse.resize((w, h), Image.BILINEAR)

    flowers = os.path.join(a.out, "flowers102", "jpg")
    os.makedirs(flowers, exist_ok=True)
    for i in range(1, a.jpegs + 1):
        picture(80, 96).save(os.path.join(flowers, f"image_{i:05d}.jpg"), quality=90)

    celeba = os.path.join(a.out, "celeba")
    os.makedirs(os.path.join(celeba, "img_align_celeba"), exist_ok=True)
    with open(os.path.join(celeba, "list_eval_partition.txt"), "w") as part:
        for i in range(1, a.jpegs + 1):
            picture(218, 178).save(os.path.join(celeba, "img_align_celeba", f"{i:06d}.jpg"), quality=90)
            part.write(f"{i:06d}.jpg {0 if i <= a.jpegs * 0.5 else 1 if i <= a.jpegs * 0.6 else 2}\n")  # test: 120 of 300

    if os.path.isdir(FMNIST):
        shutil.copytree(FMNIST, os.path.join(a.out, "fashion-mnist"), dirs_exist_ok=True)
    print(f"fixtures in {a.out}: cifar10 ({6 * a.records} records), flowers102 and celeba ({a.jpegs} JPEGs each)"
          + (", fashion-mnist" if os.path.isdir(FMNIST) else ""))


if __name__ == "__main__":
    main()
