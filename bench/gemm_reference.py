#!/usr/bin/python3
"""Float matrix-multiply throughput of PyTorch (OpenBLAS) here: n^3 and the MNIST-shaped 128x784x256 products,
best of three rounds, GFLOP/s (2*m*k*n per product), and which BLAS kernel did them (torch_blas.describe()).
Prints one JSON object."""
import argparse
import json
import time

import torch

import torch_blas


def gflops(m, k, n, reps):
    a, b = torch.rand(m, k), torch.rand(k, n)
    c = torch.empty(m, n)
    torch.mm(a, b, out=c)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=c)
        best = min(best, (time.perf_counter() - start) / reps)
    return 2.0 * m * k * n / best / 1e9


p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--n", type=int, default=2048)
a = p.parse_args()
torch_blas.set_threads(a.threads)
print(json.dumps({"impl": "pytorch-gemm", "threads": a.threads, "n": a.n, "square_gflops": gflops(a.n, a.n, a.n, 4),
                  "mnist_gflops": gflops(128, 784, 256, 200), "blas": torch_blas.describe()}))
