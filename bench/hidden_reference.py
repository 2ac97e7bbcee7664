#!/usr/bin/python3
"""HiDDeN training throughput in PyTorch, written from docs/experiments.md for the benchmark (not the reference
repository's code): encoder, decoder and discriminator with 64 channels, the baseline training step with the
discriminator (BCE-with-logits, cover -> 1, watermarked -> 0; generator 1e-3*adv + 0.7*MSE(enc, cover) +
MSE(dec, msg)), Adam lr 1e-4, random images in [0, 1] and fresh random bits. Prints one JSON object, with the
BLAS it ran on (torch_blas.describe()).
"""
import argparse
import json
import resource
import time

T0 = time.perf_counter()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import torch_blas  # noqa: E402


def conv_bn_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Encoder(nn.Module):
    def __init__(self, bits, ch=64):
        super().__init__()
        self.features = nn.Sequential(conv_bn_relu(3, ch), *[conv_bn_relu(ch, ch) for _ in range(3)])
        self.after = conv_bn_relu(ch + 3 + bits, ch)
        self.final = nn.Conv2d(ch, 3, 1)

    def forward(self, image, message):
        f = self.features(image)
        m = message[:, :, None, None].expand(-1, -1, image.shape[2], image.shape[3])
        return self.final(self.after(torch.cat([m, f, image], dim=1)))


class Decoder(nn.Module):
    def __init__(self, bits, ch=64):
        super().__init__()
        self.net = nn.Sequential(conv_bn_relu(3, ch), *[conv_bn_relu(ch, ch) for _ in range(6)],
                                 conv_bn_relu(ch, bits), nn.AdaptiveAvgPool2d(1))
        self.linear = nn.Linear(bits, bits)

    def forward(self, x):
        return self.linear(self.net(x).flatten(1))


class Discriminator(nn.Module):
    def __init__(self, ch=64):
        super().__init__()
        self.net = nn.Sequential(conv_bn_relu(3, ch), conv_bn_relu(ch, ch), conv_bn_relu(ch, ch),
                                 nn.AdaptiveAvgPool2d(1))
        self.linear = nn.Linear(ch, 1)

    def forward(self, x):
        return self.linear(self.net(x).flatten(1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--bits", type=int, default=30)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch_blas.set_threads(a.threads)
    torch.manual_seed(1)
    enc, dec, disc = Encoder(a.bits), Decoder(a.bits), Discriminator()
    opt_g = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-4)
    opt_d = torch.optim.Adam(disc.parameters(), lr=1e-4)
    bce = nn.BCEWithLogitsLoss()
    cover = torch.rand(a.batch, 3, a.size, a.size)
    ones = torch.ones(a.batch, 1)
    zeros = torch.zeros(a.batch, 1)

    def step():
        message = torch.randint(0, 2, (a.batch, a.bits)).float()
        opt_d.zero_grad()
        encoded = enc(cover, message)
        d_loss = bce(disc(cover), ones) + bce(disc(encoded.detach()), zeros)
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        decoded = dec(encoded)
        g_loss = 1e-3 * bce(disc(encoded), ones) + 0.7 * F.mse_loss(encoded, cover) + F.mse_loss(decoded, message)
        g_loss.backward()
        opt_g.step()

    enc.train(), dec.train(), disc.train()
    step()
    startup = time.perf_counter() - T0
    for _ in range(a.warmup - 1):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - start
    print(json.dumps({"impl": "pytorch", "size": a.size, "batch": a.batch, "threads": a.threads, "warmup": a.warmup,
                      "images_per_second": a.steps * a.batch / seconds, "seconds_per_step": seconds / a.steps,
                      "startup_seconds": startup,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "blas": torch_blas.describe()}))


if __name__ == "__main__":
    main()
