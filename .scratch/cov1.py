import sys, numpy as np, warnings
warnings.filterwarnings("ignore")
from ntm_analysis.data import synthetic
from ntm_analysis.models import resources_link
cfg = sys.argv[1]
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
terms = ["a","b","direct","indirect","total"]
hits = {t: 0 for t in terms}; hitsc = {t: 0 for t in terms}
ests = {t: [] for t in terms}
for rep in range(reps):
    if cfg == "prov":
        d = synthetic.province_panel(seed=rep)
        unit, cl = "province", "region"
    else:
        d = synthetic.commune_panel(2000, 10, seed=rep)
        unit, cl = "commune", "province"
    truth = d.attrs["truth"]["resources_link"]
    r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", unit, "year", bootstrap=0)
    rc = resources_link(d, "resources_pc", "income_pc", "poverty_rate", unit, "year", bootstrap=0, cluster=cl)
    t = r.coefs.set_index("term"); tc = rc.coefs.set_index("term")
    for k in terms:
        hits[k] += t.loc[k,"ci_low"] <= truth[k] <= t.loc[k,"ci_high"]
        hitsc[k] += tc.loc[k,"ci_low"] <= truth[k] <= tc.loc[k,"ci_high"]
        ests[k].append(t.loc[k,"estimate"])
print(cfg, "truth", truth)
print("HC1", {k: hits[k]/reps for k in terms})
print("CR1", {k: hitsc[k]/reps for k in terms})
print("mean est", {k: round(np.mean(v),4) for k,v in ests.items()}, "sd", {k: round(np.std(v),4) for k,v in ests.items()})
