"""pandas reference for benchmarks/csv.bench.ts: read_csv + groupby(category) mean/count.

Usage: /usr/bin/python3 benchmarks/reference/io_csv.py FILE [runs]
FILE is the CSV written by `npx tsx benchmarks/csv.bench.ts` (its path is printed at the end).
Prints medians of `runs` (default 3) for read_csv (plain, and with parse_dates=['date'] so the
date column is a datetime as in tessera) and for the group-by, and the peak RSS of the process.
"""
import resource
import statistics
import sys
import time

# keep this folder off the path so no script here can shadow a stdlib module
sys.path = [p for p in sys.path if not p.endswith("benchmarks/reference")]
import pandas as pd  # noqa: E402


def timed(f):
    """Wall-clock and CPU (process) seconds of one call."""
    t0 = time.perf_counter()
    c0 = time.process_time()
    v = f()
    return v, (time.perf_counter() - t0, time.process_time() - c0)


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    plain, dated, group = [], [], []
    for _ in range(runs):
        df, t = timed(lambda: pd.read_csv(path))
        plain.append(t)
        df, t = timed(lambda: pd.read_csv(path, parse_dates=["date"]))
        dated.append(t)
        g, t = timed(lambda: df.groupby("category").agg(count=("x", "size"), meanX=("x", "mean"), meanY=("y", "mean")))
        group.append(t)
    assert len(g) == 100, len(g)
    print(f"pandas {pd.__version__}, {len(df)} rows, {runs} runs")
    def fmt(ts):
        return f"median {statistics.median(t[0] for t in ts):.3f} s (cpu {statistics.median(t[1] for t in ts):.3f} s)"

    print(f"read_csv (plain)                 {fmt(plain)}")
    print(f"read_csv (parse_dates=['date'])  {fmt(dated)}")
    print(f"groupby(category) count + means  {fmt(group)}")
    print(f"dtypes: {dict(df.dtypes.astype(str))}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
