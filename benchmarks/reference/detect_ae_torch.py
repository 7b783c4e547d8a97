"""PyTorch CPU reference for the autoencoder speed benchmark (issue: anomaly detection).

Same task as `npx tsx benchmarks/detect.bench.ts ae wasm|cpu`: a 20-16-8-16-20 autoencoder (tanh
hidden layers, linear output, Glorot-uniform weights, zero biases, Adam lr 1e-3, mean squared error),
100,000 x 20 standard normal rows (standardised), batch 256, shuffled each epoch; one epoch timed,
then the 100,000 training rows scored (reconstruction error per row), as tessera's one-epoch fit
does. Median of 3. Run: /usr/bin/python3 benchmarks/reference/detect_ae_torch.py [threads]
Needs Debian's python3-torch (not needed by the tests).
"""
import json
import sys
import time

import numpy as np
import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
rng = np.random.default_rng(0)
x = rng.standard_normal((100_000, 20)).astype(np.float32)
x = (x - x.mean(0)) / x.std(0)
X = torch.from_numpy(x)


def make(seed):
    torch.manual_seed(seed)
    sizes = [20, 16, 8, 16, 20]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.xavier_uniform_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


times = []
for r in range(3):
    t0 = time.perf_counter()
    model = make(r)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    perm = torch.randperm(X.shape[0])
    for s in range(0, X.shape[0], 256):
        xb = X[perm[s:s + 256]]
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xb), xb)
        loss.backward()
        opt.step()
    with torch.no_grad():
        err = ((model(X) - X) ** 2).mean(1)
    times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"torch": torch.__version__, "threads": threads, "s_per_epoch_median": times[1], "runs": times}))
