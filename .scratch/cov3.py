import sys, numpy as np, pandas as pd, warnings
warnings.filterwarnings("ignore")
from ntm_analysis.data import synthetic
from ntm_analysis.models import resources_link
from ntm_analysis.models.bootstrap import draw_weights, _cluster_sum
reps = int(sys.argv[1]); B = int(sys.argv[2]); wk = sys.argv[3]

def wcu(X, y, cl, G, W, j):
    """unrestricted wild cluster draws of coef j and its CR1 se"""
    n, k = X.shape
    A = np.linalg.inv(X.T @ X); beta = A @ X.T @ y; e = y - X @ beta
    S = _cluster_sum(cl, G, X * e[:, None])
    H = np.empty((G, k, k))
    for i in range(k):
        for l in range(k):
            H[:, i, l] = np.bincount(cl, weights=X[:, i]*X[:, l], minlength=G)
    c = G/(G-1)*(n-1)/(n-k)
    aj = A[j]
    delta = A @ (S.T @ W)  # k,B
    z = (S @ aj)[:, None] * W - (H @ aj) @ delta
    se_star = np.sqrt(c * (z*z).sum(0))
    q = S @ aj
    se = np.sqrt(c * (q*q).sum())
    return beta[j], se, beta[j] + delta[j], se_star

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
    W = draw_weights(wk, G, B, np.random.default_rng(rep))
    a, sa, as_, sas = wcu(Xa, m, g, G, W, 1)
    b, sb, bs, sbs = wcu(Xf, y, g, G, W, 2)
    ab = a*b; se = np.sqrt(a*a*sb*sb + b*b*sa*sa)
    abs_ = as_*bs; ses = np.sqrt(as_**2*sbs**2 + bs**2*sas**2)
    lo, hi = np.quantile(abs_, [0.025, 0.975]); hit("pct", lo, hi, truth)
    t = (abs_ - ab)/ses
    ql, qh = np.quantile(t, [0.025, 0.975]); hit("boot-t eq", ab - qh*se, ab - ql*se, truth)
    qs = np.quantile(np.abs(t), 0.95); hit("boot-t sym", ab - qs*se, ab + qs*se, truth)
    from scipy import stats
    qt = stats.t(G-1).ppf(0.975); hit("sobel t(G-1)", ab-qt*se, ab+qt*se, truth)
print({k: v/reps for k, v in hits.items()})
