"""Line charts as standalone SVG, for bench/RESULTS.md (no plotting library
needed; the output is deterministic for the same numbers)."""
import math
import os
from xml.sax.saxutils import escape

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"]


def _ticks(lo, hi, log):
    if log:
        a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        return [10.0 ** e for e in range(a, b + 1)]
    step = 10 ** math.floor(math.log10((hi - lo) or 1))
    if (hi - lo) / step < 4:
        step /= 5
    t = math.ceil(lo / step) * step
    out = []
    while t <= hi + step * 1e-9:
        out.append(round(t, 10))
        t += step
    return out


def _label(v):
    if v >= 1e9:
        return f"{v / 1e9:g}G"
    if v >= 1e6:
        return f"{v / 1e6:g}M"
    if v >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def line_chart(path, title, xlabel, ylabel, series, logx=False, logy=False,
               xrange=None, yrange=None, width=640, height=400):
    """series: [(name, [(x, y), ...], dashed[, colour index])]; points with
    y None skipped"""
    pts = [(x, y) for s in series for x, y in s[1] if y is not None]
    if not pts:
        return
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1 = xrange or (min(xs), max(xs))
    y0, y1 = yrange or (min(ys), max(ys))
    if logx:
        x0, x1 = 10 ** math.floor(math.log10(x0)), 10 ** math.ceil(math.log10(x1))
    if logy:
        y0, y1 = 10 ** math.floor(math.log10(y0)), 10 ** math.ceil(math.log10(y1))
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    left, right, top, bottom = 70, 190, 40, 50
    pw, ph = width - left - right, height - top - bottom

    def sx(x):
        f = (math.log10(x) - math.log10(x0)) / (math.log10(x1) - math.log10(x0)) \
            if logx else (x - x0) / (x1 - x0)
        return left + f * pw

    def sy(y):
        f = (math.log10(y) - math.log10(y0)) / (math.log10(y1) - math.log10(y0)) \
            if logy else (y - y0) / (y1 - y0)
        return top + ph - f * ph

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
         f'height="{height}" font-family="sans-serif" font-size="12">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="{left}" y="22" font-size="14" font-weight="bold">'
         f'{escape(title)}</text>']
    for t in _ticks(x0, x1, logx):
        if x0 <= t <= x1:
            X = sx(t)
            o.append(f'<line x1="{X:.1f}" y1="{top}" x2="{X:.1f}" '
                     f'y2="{top + ph}" stroke="#ddd"/>')
            o.append(f'<text x="{X:.1f}" y="{top + ph + 16}" '
                     f'text-anchor="middle">{_label(t)}</text>')
    for t in _ticks(y0, y1, logy):
        if y0 <= t <= y1:
            Y = sy(t)
            o.append(f'<line x1="{left}" y1="{Y:.1f}" x2="{left + pw}" '
                     f'y2="{Y:.1f}" stroke="#ddd"/>')
            o.append(f'<text x="{left - 6}" y="{Y + 4:.1f}" '
                     f'text-anchor="end">{_label(t)}</text>')
    o.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" '
             f'fill="none" stroke="#333"/>')
    o.append(f'<text x="{left + pw / 2}" y="{height - 12}" '
             f'text-anchor="middle">{escape(xlabel)}</text>')
    o.append(f'<text transform="translate(16 {top + ph / 2}) rotate(-90)" '
             f'text-anchor="middle">{escape(ylabel)}</text>')
    for i, (name, s, dashed, *ci) in enumerate(series):
        c = COLOURS[(ci[0] if ci else i) % len(COLOURS)]
        p = [(sx(x), sy(y)) for x, y in s if y is not None]
        if not p:
            continue
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        o.append(f'<polyline fill="none" stroke="{c}" stroke-width="2"{dash} '
                 f'points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in p)
                 + '"/>')
        for a, b in p:
            o.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{c}"/>')
        Y = top + 8 + i * 18
        o.append(f'<line x1="{left + pw + 12}" y1="{Y}" x2="{left + pw + 36}" '
                 f'y2="{Y}" stroke="{c}" stroke-width="2"{dash}/>')
        o.append(f'<text x="{left + pw + 42}" y="{Y + 4}">{escape(name)}</text>')
    o.append("</svg>")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")
    os.replace(path + ".tmp", path)
