import numpy as np, time
from ntm_analysis.data import synthetic
from ntm_analysis.models import panel_fe
import sys
G = int(sys.argv[1]); reps = 200
h_cr1 = h_wb = 0; t0 = time.time()
for rep in range(reps):
    d = synthetic.commune_panel(10 * G, 6, n_provinces=G, seed=5000 + rep)
    r = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province", seed=rep)
    c = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province", bootstrap=0)
    h_wb += r.term("log_resources_pc")["ci_low"] <= 0.3 <= r.term("log_resources_pc")["ci_high"]
    h_cr1 += c.term("log_resources_pc")["ci_low"] <= 0.3 <= c.term("log_resources_pc")["ci_high"]
print(G, "CR1", h_cr1 / reps, "wild", h_wb / reps, f"{time.time()-t0:.0f}s")
