"""What the speed work must not change: the memoized label matcher agrees
with scoring every key, the facts frame has the dtypes pandas infers, the
caches stay bounded, and ``import extractor`` does not import pandas."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import extractor
from extractor.recognition import matching
from extractor.normalize import core, split_parts
from extractor.recognition.templates import TEMPLATES

SPECS = [spec for tables in TEMPLATES.values() for spec in tables.values()]
KEY_SETS = [spec.rows for spec in SPECS] + [spec.columns for spec in SPECS]
LABELS = sorted({p.lstrip("=") for keys in KEY_SETS for k in keys for p in k.patterns}
                | {k.label for keys in KEY_SETS for k in keys}
                | {"申请人情况", "法人或其他组织", "三、本年度办理结果", "（三）不予公开", "其他", "合计", "1.", "（一）"})


def reference_best_key(keys, parts):
    """best_key as first written: every key's patterns against every piece."""
    flat = []
    for p in parts:
        flat.extend(split_parts(p) or [p])
    pieces = []
    for i, p in enumerate(flat):
        c = core(p)
        if c:
            pieces.append((2 * i, c))
        if i:
            pieces.append((2 * i - 1, core(flat[i - 1]) + c))
    best, found = None, None
    for key in keys:
        for depth, text in pieces:
            s = matching.key_score(key, text)
            if s and (best is None or (depth, s) > best):
                best, found = (depth, s), key
    return found


label = st.one_of(st.sampled_from(LABELS), st.text(alphabet="其他合计总计商业企业公开申请一二（）()1.、 ", max_size=12))


@settings(max_examples=120, deadline=None)
@given(keys=st.sampled_from(KEY_SETS), parts=st.lists(label, min_size=1, max_size=4))
def test_best_key_agrees_with_scoring_every_key(keys, parts):
    assert matching.best_key(keys, parts) is reference_best_key(keys, parts)
    assert matching.best_key(keys, parts) is reference_best_key(keys, parts)  # from the cache
    assert matching.best_key(list(keys), parts) is reference_best_key(keys, parts)  # any iterable


def test_matcher_caches_are_bounded():
    keys = SPECS[0].columns
    for i in range(3 * matching._Matcher.MAX_CACHE):
        matching.best_key(keys, [f"其他{i}"])
    m = matching._matcher(keys)
    assert len(m.by_parts) <= m.MAX_CACHE and len(m.by_text) <= m.MAX_CACHE


def test_facts_have_the_codebook_dtypes(tmp_path):
    html = ("<p>某局2021年政府信息公开工作年度报告</p><table><tr><td>行政复议</td><td>行政诉讼</td></tr>"
            "<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>"
            "<tr><td>1</td><td></td><td>0</td><td>/</td><td>1</td></tr></table>").encode()
    r = extractor.parse(html)
    assert len(r.facts)
    from extractor.variables import apply_dtypes

    plain = pd.DataFrame({c: list(r.facts[c].astype(object).where(r.facts[c].notna(), None)) for c in r.facts.columns})
    plain = apply_dtypes("facts", plain)  # the same dtypes as the corpus' facts table
    assert [str(t) for t in r.facts.dtypes] == ["float64" if c == "value" else "string" for c in r.facts.columns]
    assert list(r.facts.dtypes) == list(plain.dtypes)
    assert r.facts.equals(plain)


def test_import_extractor_does_not_import_pandas_or_lxml():
    code = "import sys, extractor; print(sorted(m for m in ('pandas', 'numpy', 'lxml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
