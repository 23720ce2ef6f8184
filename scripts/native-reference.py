#!/usr/bin/env python3
"""
The native reference for `npm run bench -- --native-only`: the seed model (mnist-conv-z2's
network, src/vae/model.ts) trained in PyTorch on the CPU with the same loss (Bernoulli
cross-entropy summed over pixels plus the Gaussian KL, averaged over the batch), Adam at 1e-3
and batch 128, on synthetic images (speed does not depend on the pixels). It times the better
of 1 and 2 torch threads and prints one line of JSON.

Run it with OPENBLAS_NUM_THREADS=1 (the benchmark does): more OpenBLAS threads oversubscribe a
small machine and run several times slower, which would flatter the page. Debian ships torch as
python3-torch; it multiplies matrices with whichever BLAS the system provides, and the reference
BLAS is about nine times slower than OpenBLAS here, so install both:
`sudo apt-get install python3-torch libopenblas0-pthread`. The JSON names the BLAS it loaded.

Usage: python3 scripts/native-reference.py [--steps N] [--warmup N] [--threads 1,2]
"""
import argparse
import json
import os
import time

import torch
from torch import nn


class Encoder(nn.Module):
    def __init__(self, latent=2, hidden=16):
        super().__init__()
        # 'same' padding at stride 2 in TF.js pads one pixel after; padding=1 here pads one on
        # each side: the same output sizes and the same work.
        self.conv1 = nn.Conv2d(1, 32, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, stride=2, padding=1)
        self.hidden = nn.Linear(7 * 7 * 64, hidden)
        self.z_mean = nn.Linear(hidden, latent)
        self.z_log_var = nn.Linear(hidden, latent)

    def forward(self, x):
        h = torch.relu(self.conv2(torch.relu(self.conv1(x))))
        h = torch.relu(self.hidden(h.flatten(1)))
        return self.z_mean(h), self.z_log_var(h)


class Decoder(nn.Module):
    def __init__(self, latent=2):
        super().__init__()
        self.project = nn.Linear(latent, 7 * 7 * 64)
        self.deconv1 = nn.ConvTranspose2d(64, 64, 3, stride=2, padding=1, output_padding=1)
        self.deconv2 = nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1)
        self.logits = nn.ConvTranspose2d(32, 1, 3, stride=1, padding=1)

    def forward(self, z):
        h = torch.relu(self.project(z)).view(-1, 64, 7, 7)
        h = torch.relu(self.deconv2(torch.relu(self.deconv1(h))))
        return self.logits(h)


def images_per_second(threads, steps, warmup, batch=128):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    encoder, decoder = Encoder(), Decoder()
    params = list(encoder.parameters()) + list(decoder.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    x = (torch.rand(batch * 4, 1, 28, 28) < 0.2).float() * torch.rand(batch * 4, 1, 28, 28)

    def step(i):
        xb = x[(i % 4) * batch:(i % 4 + 1) * batch]
        mu, log_var = encoder(xb)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        logits = decoder(z)
        reconstruction = nn.functional.binary_cross_entropy_with_logits(logits, xb, reduction='sum') / batch
        kl = -0.5 * torch.sum(1 + log_var - mu * mu - torch.exp(log_var)) / batch
        loss = reconstruction + kl
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    for i in range(warmup):
        step(i)
    t0 = time.perf_counter()
    for i in range(steps):
        step(i)
    seconds = time.perf_counter() - t0
    return batch * steps / seconds, sum(p.numel() for p in params)


def loaded_blas():
    """The BLAS library this process has loaded (Linux), or None: Debian's torch uses whichever
    libblas.so.3 the system's alternatives point to, and the reference BLAS is far slower."""
    try:
        with open('/proc/self/maps') as maps:
            paths = {line.split()[-1] for line in maps if 'blas' in line.split()[-1]}
    except OSError:
        return None
    return sorted(paths)[0] if paths else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=40)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--threads', default='1,2')
    args = parser.parse_args()
    runs = {}
    params = 0
    for threads in [int(t) for t in args.threads.split(',')]:
        rate, params = images_per_second(threads, args.steps, args.warmup)
        runs[threads] = round(rate, 1)
    best = max(runs, key=runs.get)
    print(json.dumps({
        'torch': torch.__version__,
        'openblasThreads': os.environ.get('OPENBLAS_NUM_THREADS'),
        'imagesPerSec': runs[best],
        'threads': best,
        'byThreads': runs,
        'parameters': params,
        'blas': loaded_blas(),
    }))


if __name__ == '__main__':
    main()
