import sys, numpy as np, pandas as pd, warnings
warnings.filterwarnings("ignore")
import statsmodels.api as sm
from ntm_analysis.data import synthetic
from ntm_analysis.models import resources_link
from ntm_analysis.models.bootstrap import WildClusterBootstrap
reps = int(sys.argv[1]); B = int(sys.argv[2]); wk = sys.argv[3]
res = {k: {} for k in ["wcr","feHC1","feHC3"]}
def hit(store, k, lo, hi, tr):
    store.setdefault(k, 0); store[k] += lo <= tr <= hi
for rep in range(reps):
    d = synthetic.province_panel(seed=rep)
    truth = d.attrs["truth"]["resources_link"]
    r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year", bootstrap=0, cluster="region")
    cs = r.extra["cross_section"]
    x, m, y = cs.log_resources.to_numpy(), cs.income_growth.to_numpy(), cs.poverty_reduction.to_numpy()
    g = pd.factorize(cs.region)[0]; G = g.max()+1; n = len(x)
    one = np.ones(n)
    Xa = np.column_stack([one, x]); Xf = np.column_stack([one, x, m])
    rng = np.random.default_rng(rep)
    for name, X, yy, j, tr in [("a", Xa, m, 1, truth["a"]), ("total", Xa, y, 1, truth["total"]),
                               ("b", Xf, y, 2, truth["b"]), ("direct", Xf, y, 1, truth["direct"])]:
        K = X.shape[1]
        wb = WildClusterBootstrap(X, yy, g, G, G/(G-1)*(n-1)/(n-K), wk, B, np.random.default_rng(rep))
        p, lo, hi = wb.test(j)
        hit(res["wcr"], name, lo, hi, tr)
    D = pd.get_dummies(cs.region, drop_first=True, dtype=float).to_numpy()
    for ct in ["HC1","HC3"]:
        fa = sm.OLS(m, np.column_stack([Xa, D])).fit(cov_type=ct)
        ff = sm.OLS(y, np.column_stack([Xf, D])).fit(cov_type=ct)
        ft = sm.OLS(y, np.column_stack([Xa, D])).fit(cov_type=ct)
        st = res["fe"+ct]
        for name, f, j, tr in [("a", fa, 1, truth["a"]), ("total", ft, 1, truth["total"]), ("b", ff, 2, truth["b"]), ("direct", ff, 1, truth["direct"])]:
            lo, hi = f.conf_int()[j]
            hit(st, name, lo, hi, tr)
        a, b = fa.params[1], ff.params[2]
        se = np.sqrt(a*a*ff.bse[2]**2 + b*b*fa.bse[1]**2)
        q = 1.96
        hit(st, "indirect", a*b - q*se, a*b+q*se, truth["indirect"])
for k, v in res.items():
    print(k, {t: c/reps for t, c in v.items()})
