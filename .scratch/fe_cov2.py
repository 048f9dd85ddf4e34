import numpy as np, sys
from ntm_analysis.data import synthetic
from ntm_analysis.models import panel_fe
G = int(sys.argv[1]); reps = 200
est, se = [], []
for rep in range(reps):
    d = synthetic.commune_panel(10 * G, 6, n_provinces=G, seed=5000 + rep)
    c = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province", bootstrap=0)
    est.append(c.params.iloc[0]); se.append(c.std_errors.iloc[0])
est = np.array(est); se = np.array(se)
print(G, "mean est", est.mean().round(4), "sd est", est.std().round(4), "mean se", se.mean().round(4), "rms se", np.sqrt((se**2).mean()).round(4))
