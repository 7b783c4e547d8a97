"""statsmodels references for tessera's exact-likelihood ARIMA (method 'ml' / 'css-ml').

Run: /usr/bin/python3 benchmarks/reference/model_trees_arima_ml.py
Writes benchmarks/reference/model_trees_arima_ml.json: for each (series, order) the statsmodels
`tsa.arima.model.ARIMA(...).fit()` parameters (exact Gaussian ML by the Kalman filter; integrated
states exact-diffuse), log-likelihood, sigma2, and the h-step forecast mean and 95% interval;
the reference fit is SARIMAX(simple_differencing=True) when d + D > 0 (exact likelihood of the
differenced series, which is what tessera maximises); forecasts come from statsmodels' ARIMA
filtered at those parameters. ARIMA().fit() defaults are recorded too (arimaDefault*).
Series (../shared/data), fit on all but the last h points:
- nyc-taxi: 30-minute passenger counts summed per calendar day, in thousands (215 days), h = 28.
- seattle-weather temp_max: daily (1461 days), h = 30.
- airquality Temp: daily (153 days, New York May-Sep 1973), h = 14.
"""
import json, os, sys, time
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import numpy as np
import pandas as pd
import statsmodels
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.statespace.sarimax import SARIMAX
from scipy.optimize import minimize

SHARED = os.path.join(_here, "..", "..", "..", "shared", "data")
df = pd.read_csv(os.path.join(SHARED, "timeseries", "nyc-taxi", "data.csv"))
taxi = df.groupby(df["timestamp"].str.slice(0, 10))["value"].sum().to_numpy(dtype=float) / 1000  # thousands: statsmodels optimises badly at scale 1e9
seattle = pd.read_csv(os.path.join(SHARED, "tabular", "seattle-weather", "data.csv"))["temp_max"].to_numpy(dtype=float)
airq = pd.read_csv(os.path.join(SHARED, "tabular", "airquality", "data.csv"))["Temp"].to_numpy(dtype=float)

series = {"nyc-taxi-daily": (taxi, 28), "seattle-temp-max": (seattle, 30), "airquality-temp": (airq, 14)}
cases = [
    ("nyc-taxi-daily", (1, 0, 1), (0, 1, 1, 7)),
    ("nyc-taxi-daily", (2, 1, 1), (0, 0, 0, 0)),
    ("nyc-taxi-daily", (1, 0, 0), (1, 0, 0, 7)),
    ("seattle-temp-max", (1, 0, 1), (0, 0, 0, 0)),
    ("seattle-temp-max", (1, 1, 1), (0, 0, 0, 0)),
    ("airquality-temp", (1, 0, 1), (0, 0, 0, 0)),
    ("airquality-temp", (0, 1, 2), (0, 0, 0, 0)),
]
out = {"statsmodels": statsmodels.__version__, "date": time.strftime("%Y-%m-%d"), "series": {k: {"values": v.tolist(), "h": h} for k, (v, h) in series.items()}, "cases": []}
for name, order, sorder in cases:
    y, h = series[name]
    train = y[:-h]
    diff = order[1] + sorder[1] > 0
    # reference fit: exact Gaussian ML of the differenced series (what tessera maximises)
    if diff:
        fit = SARIMAX(train, order=order, seasonal_order=sorder, trend="n", simple_differencing=True).fit(disp=0, maxiter=1000)
    else:
        fit = ARIMA(train, order=order, seasonal_order=sorder, trend="c").fit()
    # polish: statsmodels' default optimiser can stop early (it does on the const of nyc-taxi (1,0,0)(1,0,0,7));
    # refine its optimum with Nelder-Mead on the same statsmodels log-likelihood and keep the better
    params, llf, refined = np.asarray(fit.params, dtype=float), float(fit.llf), False
    res = minimize(lambda v: -fit.model.loglike(v), params, method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-10, "maxiter": 40000, "maxfev": 40000})
    if -res.fun > llf + 1e-7:
        params, llf, refined = res.x, float(-res.fun), True
    # forecasts and intervals: statsmodels' ARIMA (integrated, exact-diffuse states) filtered at these parameters
    full = ARIMA(train, order=order, seasonal_order=sorder, trend="n" if diff else "c")
    fc = full.filter(params).get_forecast(h)
    ci = fc.conf_int(alpha=0.05)
    default = ARIMA(train, order=order, seasonal_order=sorder, trend="n" if diff else "c").fit()
    out["cases"].append({
        "series": name, "order": list(order), "seasonalOrder": list(sorder), "h": h,
        "paramNames": list(fit.model.param_names),
        "params": [float(v) for v in params], "refined": refined,
        "llf": llf, "nobs": int(fit.nobs),
        "arimaDefaultParams": [float(v) for v in default.params], "arimaDefaultLlf": float(default.llf),
        "forecast": [float(v) for v in fc.predicted_mean],
        "lower": [float(v) for v in ci[:, 0]], "upper": [float(v) for v in ci[:, 1]],
    })
    llf_sd = default.llf
    print(name, order, sorder, dict(zip(fit.model.param_names, np.round(params, 5))), "llf", round(llf, 4), "refined" if refined else "", "ARIMA() default", np.round(default.params, 5), round(default.llf, 4))
with open(os.path.join(_here, "model_trees_arima_ml.json"), "w") as f:
    json.dump(out, f)
