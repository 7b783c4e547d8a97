"""Stand-in for the `nlq_common` module that ../shared/data/nlq/score.py imports but that is not
shipped in ../shared/data/nlq. Re-implemented from score.py's documented semantics (stdlib only):
answer sets compared order-insensitively with duplicates ignored; numbers with a relative tolerance
of 1e-4, accepting rounding to the decimals written; text case-, accent- and whitespace-insensitively.
Put this folder on PYTHONPATH when running score.py."""
import json
import math
import re
import sqlite3
import unicodedata

AGGS = ["none", "count", "sum", "avg", "min", "max"]


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def norm_text(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().split())


_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _num(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if math.isfinite(v) else None
    s = str(v).strip().replace(",", "")
    if _NUM.match(s):
        return float(s)
    return None


def _decimals(v):
    s = str(v).strip().replace(",", "")
    if "." in s and "e" not in s.lower():
        return len(s.split(".")[1])
    return 0


def values_equal(pred, gold, allow_rounding=True):
    p, g = _num(pred), _num(gold)
    if p is not None and g is not None:
        if p == g or abs(p - g) <= 1e-4 * max(abs(p), abs(g)):
            return True
        if allow_rounding:
            return round(p, _decimals(gold)) == g
        return False
    return norm_text(pred) == norm_text(gold)


def answer_set_equal(pred, gold):
    pred = list(pred or [])
    gold = list(gold or [])
    if not pred and not gold:
        return True
    if not pred or not gold:
        return False
    for g in gold:
        if not any(values_equal(p, g) for p in pred):
            return False
    for p in pred:
        if not any(values_equal(p, g) for g in gold):
            return False
    return True


def execute_sql(table, sql):
    con = sqlite3.connect(":memory:")
    try:
        cols = table["columns"]
        name = table["name"]
        defs = ", ".join('"%s" %s' % (c["name"].replace('"', '""'), "REAL" if c["type"] == "real" else "TEXT") for c in cols)
        con.execute('CREATE TABLE "%s" (%s)' % (name.replace('"', '""'), defs))
        ph = ", ".join("?" for _ in cols)
        con.executemany('INSERT INTO "%s" VALUES (%s)' % (name.replace('"', '""'), ph), table["rows"])
        con.execute('CREATE VIEW t AS SELECT * FROM "%s"' % name.replace('"', '""'))
        rows = con.execute(sql).fetchall()
        return [r[0] for r in rows], None
    except Exception as e:  # noqa: BLE001
        return [], str(e)
    finally:
        con.close()


def structured_to_sql(name, st):
    col = st.get("select", "*")
    agg = (st.get("agg") or "none").lower()
    sel = "*" if col in ("*", None) else '"%s"' % col.replace('"', '""')
    expr = sel if agg == "none" else "%s(%s)" % (agg.upper(), sel)
    where = []
    for c, op, v in st.get("where") or []:
        lit = repr(v) if isinstance(v, (int, float)) else "'%s'" % str(v).replace("'", "''")
        where.append('"%s" %s %s' % (c.replace('"', '""'), op, lit))
    sql = 'SELECT %s FROM "%s"' % (expr, name.replace('"', '""'))
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql
