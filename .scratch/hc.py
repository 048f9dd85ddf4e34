import numpy as np, pandas as pd, warnings
warnings.filterwarnings("ignore")
from ntm_analysis.models import mediation
for n in (9, 15, 30, 63):
    hits = {c: dict.fromkeys(["a","b","direct","indirect","total"], 0) for c in ("HC1","HC3")}
    reps = 1000
    for rep in range(reps):
        rng = np.random.default_rng(rep)
        x = rng.standard_normal(n)
        m = 0.5 * x + rng.standard_normal(n) * np.exp(0.5 * x)
        y = 0.4 * m + 0.2 * x + rng.standard_normal(n) * np.exp(0.3 * x)
        d = pd.DataFrame({"x": x, "m": m, "y": y})
        truth = {"a": 0.5, "b": 0.4, "direct": 0.2, "indirect": 0.2, "total": 0.4}
        for c in ("HC1", "HC3"):
            t = mediation(d, "x", "m", "y", bootstrap=0, cov_type=c).coefs.set_index("term")
            for k in truth:
                hits[c][k] += t.loc[k, "ci_low"] <= truth[k] <= t.loc[k, "ci_high"]
    print(n, {c: {k: v / reps for k, v in h.items()} for c, h in hits.items()})
