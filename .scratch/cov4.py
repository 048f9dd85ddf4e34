import sys, numpy as np, pandas as pd, warnings
warnings.filterwarnings("ignore")
from scipy import stats
from ntm_analysis.data import synthetic
from ntm_analysis.models import resources_link
from ntm_analysis.models.bootstrap import WildClusterBootstrap
reps = int(sys.argv[1]); B = int(sys.argv[2]); wk = sys.argv[3]
hits = {}
def hit(k, lo, hi, tr):
    hits.setdefault(k, 0); hits[k] += lo <= tr <= hi
for rep in range(reps):
    d = synthetic.province_panel(seed=rep)
    truth = d.attrs["truth"]["resources_link"]["indirect"]
    r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year", bootstrap=0, cluster="region")
    cs = r.extra["cross_section"]
    x, m, y = cs.log_resources.to_numpy(), cs.income_growth.to_numpy(), cs.poverty_reduction.to_numpy()
    g = pd.factorize(cs.region)[0]; G = g.max()+1; n = len(x)
    one = np.ones(n)
    Xa = np.column_stack([one, x]); Xf = np.column_stack([one, x, m])
    qt = stats.t(G-1).ppf(0.975)
    wa = WildClusterBootstrap(Xa, m, g, G, G/(G-1)*(n-1)/(n-2), wk, B, np.random.default_rng(rep))
    wf = WildClusterBootstrap(Xf, y, g, G, G/(G-1)*(n-1)/(n-3), wk, B, np.random.default_rng(rep+7))
    _, la, ha = wa.test(1); _, lb, hb = wf.test(2)
    a, b = wa.beta[1], wf.beta[2]
    sa, sb = (ha-la)/(2*qt), (hb-lb)/(2*qt)
    se = np.sqrt(a*a*sb*sb + b*b*sa*sa)
    hit("sobel eff t", a*b-qt*se, a*b+qt*se, truth)
    q = stats.norm.ppf(0.975)
    hit("sobel eff norm-se t", a*b-qt*se, a*b+qt*se, truth)
    rng = np.random.default_rng(rep+99)
    # MC: asymmetric halves
    ta = stats.t(G-1).rvs(size=20000, random_state=rng); tb = stats.t(G-1).rvs(size=20000, random_state=rng)
    ad = a + np.where(ta < 0, (a-la)/qt, (ha-a)/qt)*ta
    bd = b + np.where(tb < 0, (b-lb)/qt, (hb-b)/qt)*tb
    lo, hi = np.quantile(ad*bd, [0.025, 0.975]); hit("MC", lo, hi, truth)
print({k: v/reps for k, v in hits.items()})
