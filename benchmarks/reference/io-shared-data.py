"""pandas reference for test/dataset/io-shared.node.test.ts: facts about every CSV in ../shared/data.

For each file: rows, column names, and per column the pandas dtype, the missing count, the sum of
a numeric column (float64 accumulate) and the number of distinct non-missing values of any column.
Missing values are read with tessera's default tokens (keep_default_na=False) so both sides agree
on what is missing. Writes benchmarks/reference/io-shared-data.json.
Run: /usr/bin/python3 benchmarks/reference/io-shared-data.py
"""
import json
import math
import os
import sys

sys.path = [p for p in sys.path if not p.endswith("benchmarks/reference")]
import pandas as pd  # noqa: E402

TOKENS = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "#N/A"]
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data"))
out = []
for dirpath, _, files in sorted(os.walk(root)):
    for f in sorted(files):
        if not f.endswith(".csv"):
            continue
        path = os.path.join(dirpath, f)
        df = pd.read_csv(path, keep_default_na=False, na_values=TOKENS, dtype=str)
        cols = []
        for c in df.columns:
            s = df[c]
            num = pd.to_numeric(s, errors="coerce")
            nonmiss = s.notna()
            numeric = bool((num.notna() == nonmiss).all()) and nonmiss.any()
            entry = {"name": c, "missing": int(s.isna().sum()), "distinct": int(s.dropna().nunique())}
            if numeric:
                total = float(num.sum())
                entry["sum"] = total if math.isfinite(total) else str(total)
            cols.append(entry)
        out.append({"file": os.path.relpath(path, root), "rows": int(len(df)), "columns": cols})
with open(os.path.join(here, "io-shared-data.json"), "w") as fh:
    json.dump(out, fh, indent=1)
print(f"{len(out)} files written to io-shared-data.json")
