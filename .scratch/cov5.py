import sys, time, numpy as np, warnings
from ntm_analysis.data import synthetic
from ntm_analysis.models import resources_link
reps = int(sys.argv[1]); kw = eval(sys.argv[2]) if len(sys.argv) > 2 else {}
terms = ["a","b","direct","indirect","total"]
hits = dict.fromkeys(terms, 0)
t0 = time.time()
for rep in range(reps):
    d = synthetic.province_panel(seed=rep)
    truth = d.attrs["truth"]["resources_link"]
    r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year", **kw)
    t = r.coefs.set_index("term")
    for k in terms:
        hits[k] += t.loc[k,"ci_low"] <= truth[k] <= t.loc[k,"ci_high"]
print({k: v/reps for k, v in hits.items()}, f"{time.time()-t0:.1f}s")
print(r.summary()); print(r.reading())
