#!/usr/bin/env python3
"""Independent reference values for Yardstick.Core.Statistics tests (pure Python 3, no packages).

Run: python3 reference_values.py. Each block states what it reproduces; the C# tests cite the printed numbers.
"""
import itertools
import math


def betacf(a, b, x):
    """Continued fraction of the regularized incomplete beta (Numerical Recipes, 2nd ed., 6.4, modified Lentz)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d; d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c; c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d; d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c; c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1) < eps:
            break
    return h


def betainc(a, b, x):
    if x <= 0: return 0.0
    if x >= 1: return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * betacf(a, b, x) / a
    return 1 - front * betacf(b, a, 1 - x) / b


def harrell_davis(xs, p):
    """Harrell & Davis (1982): sum of order statistics weighted by Beta(p(n+1), (1-p)(n+1)) increments."""
    xs = sorted(xs); n = len(xs)
    a, b = p * (n + 1), (1 - p) * (n + 1)
    return sum(xs[i] * (betainc(a, b, (i + 1) / n) - betainc(a, b, i / n)) for i in range(n))


def t_cdf(t, df):
    x = df / (df + t * t)
    tail = 0.5 * betainc(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def t_quantile(p, df):
    lo, hi = -1e3, 1e3
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p: lo = mid
        else: hi = mid
    return (lo + hi) / 2


def mean(v): return sum(v) / len(v)
def var(v):
    m = mean(v); return sum((x - m) ** 2 for x in v) / (len(v) - 1)


# R's ?wilcox.test example (Hollander & Wolfe): x = permeability constants, y = comparison group.
x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
y = [1.15, 0.88, 0.90, 0.74, 1.21]

print("Harrell-Davis on x: q0.5 = %.12f, q0.9 = %.12f, q0.1 = %.12f" % (harrell_davis(x, 0.5), harrell_davis(x, 0.9), harrell_davis(x, 0.1)))

# Exact Mann-Whitney null distribution by enumerating every assignment of ranks (no ties in these data).
n, m = len(x), len(y)
pooled = sorted(x + y)
counts = {}
for idx in itertools.combinations(range(n + m), n):
    chosen = set(idx)
    u = sum(1 for i in idx for j in range(n + m) if j not in chosen and pooled[i] > pooled[j])
    counts[u] = counts.get(u, 0) + 1
total = sum(counts.values())
u_x = sum(1 for a in x for b in y if a > b)
p_greater = sum(c for u, c in counts.items() if u >= u_x) / total
print("Mann-Whitney: W = U_x = %d, P(U >= W) = %.10f (R: W = 35, p-value = 0.1272)" % (u_x, p_greater))

diffs = sorted(a - b for a in x for b in y)
N = len(diffs)
hl = (diffs[N // 2 - 1] + diffs[N // 2]) / 2 if N % 2 == 0 else diffs[N // 2]
print("Hodges-Lehmann shift of x relative to y: %.6f" % hl)
for alpha in (0.025, 0.05):
    cdf, k = 0.0, 0
    while True:
        cdf_next = cdf + counts.get(k, 0) / total  # P(U <= k)
        if cdf_next > alpha: break
        cdf, k = cdf_next, k + 1
    # k = largest integer with P(U <= k - 1) <= alpha; interval [D(k), D(N + 1 - k)] (1-based)
    print("Mann-Whitney-inverted bounds at one-sided %.3f: k = %d, [%.6f, %.6f]" % (alpha, k, diffs[k - 1], diffs[N - k]))

# R's sleep data: t.test(extra ~ group, data = sleep) (Welch) and with var.equal = TRUE (Student).
g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
d = mean(g1) - mean(g2)
se = math.sqrt(var(g1) / 10 + var(g2) / 10)
df = (var(g1) / 10 + var(g2) / 10) ** 2 / ((var(g1) / 10) ** 2 / 9 + (var(g2) / 10) ** 2 / 9)
q = t_quantile(0.975, df)
print("Welch: t = %.4f, df = %.3f, p = %.5f, 95%% CI [%.7f, %.7f]" % (d / se, df, 2 * t_cdf(-abs(d / se), df), d - q * se, d + q * se))
sp = math.sqrt((9 * var(g1) + 9 * var(g2)) / 18) * math.sqrt(0.2)
q = t_quantile(0.975, 18)
print("Student: t = %.4f, df = 18, p = %.5f, 95%% CI [%.6f, %.6f]" % (d / sp, 2 * t_cdf(-abs(d / sp), 18), d - q * sp, d + q * sp))

# Paired: R's ?wilcox.test paired example (Hollander & Wolfe, depression scale): wilcox.test(x, y, paired = TRUE,
# alternative = "greater") gives V = 40, p-value = 0.01953. Exact null by enumerating all 2^9 sign patterns; the
# Hodges-Lehmann estimate and the bounds are the Walsh averages at the critical rank.
px = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
py = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
pd = [round(a - b, 10) for a, b in zip(px, py)]
pn = len(pd)
null = {}
for signs in itertools.product([0, 1], repeat=pn):
    t = sum(i + 1 for i, s in enumerate(signs) if s)
    null[t] = null.get(t, 0) + 1
def sr_cdf(t): return sum(c for k, c in null.items() if k <= t) / 2 ** pn
order = sorted(range(pn), key=lambda i: abs(pd[i]))
vplus = sum(r + 1 for r, i in enumerate(order) if pd[i] > 0)
print("Signed rank: V = %d, P(V >= 40) = %.10f (R: V = 40, p-value = 0.01953)" % (vplus, 1 - sr_cdf(vplus - 1)))
walsh = sorted((pd[i] + pd[j]) / 2 for i in range(pn) for j in range(i, pn))
print("Hodges-Lehmann of the differences: %.6f (R: (pseudo)median 0.46)" % walsh[len(walsh) // 2])
for a in (0.005, 0.025, 0.05):
    k = 0
    while k < pn * (pn + 1) // 4 and sr_cdf(k) <= a:
        k += 1
    print("Signed-rank bounds at one-sided %.3f: k = %d, [%.6f, %.6f]" % (a, k, walsh[k - 1], walsh[len(walsh) - k]))
pm, ps = mean(pd), math.sqrt(var(pd))
pt = pm / (ps / math.sqrt(pn))
print("Paired t: mean = %.6f, t = %.4f, df = %d, one-sided p = %.6f, 95%% CI [%.6f, %.6f]" % (
    pm, pt, pn - 1, t_cdf(-pt, pn - 1), pm - t_quantile(0.975, pn - 1) * ps / math.sqrt(pn), pm + t_quantile(0.975, pn - 1) * ps / math.sqrt(pn)))
