"""The package's import graph, read from its ``import`` statements: cycles and layer violations.

    python tools/import_graph.py            # prints the layers, their imports, cycles and violations; exit 1 if any
    python tools/import_graph.py --dot      # the graph of layers in Graphviz dot

Every ``import``/``from … import`` counts, including those inside functions (a lazy import is still a
dependency). Modules are files; ``from pkg import name`` counts as an import of ``pkg.name`` when that is a module.
The layers and what each may import are declared in :data:`ALLOWED`; data flows one way, from ``data`` up to
``report``, and the render engine knows nothing of any of them.
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "ntm_analysis"
#: Small utilities every layer may use (top-level modules of the package).
UTILITIES = {"ntm_analysis", "ntm_analysis.paths", "ntm_analysis.text", "ntm_analysis.atomic", "ntm_analysis.glue"}
#: What the render engine may use besides itself (it reads no recorded value: glue is for notebooks and reports).
RENDER_UTILITIES = UTILITIES - {"ntm_analysis.glue"}
#: What each layer may import besides itself and the utilities.
ALLOWED: dict[str, set[str]] = {
    "utilities": set(),
    "data": set(),
    "i18n": set(),
    "indicators": {"data"},
    "models": {"data", "indicators"},
    "intake": {"data"},
    "analyses": {"data", "indicators", "models"},
    "report": {"data", "indicators", "models", "analyses", "i18n"},
    "render": set(),
    "cli": {"data", "intake", "indicators", "models", "analyses", "report", "render", "i18n"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    if module in UTILITIES:
        return "utilities"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED:
        return parts[1]
    raise ValueError(f"{module}: not in a declared layer (add it to tools/import_graph.py ALLOWED or UTILITIES)")


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules ``path`` (module ``name``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == PACKAGE:
                    out.add(_nearest(a.name, known))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != PACKAGE:
                continue
            for a in node.names:
                full = f"{mod}.{a.name}"
                out.add(full if full in known else _nearest(mod, known))
    out.discard(name)
    return out


def _nearest(module: str, known: set[str]) -> str:
    while module not in known and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: imports_of(p, m, known) for m, p in mods.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def violations(g: dict[str, set[str]]) -> list[str]:
    """Imports that cross the declared layers the wrong way: "importer -> imported (layer -> layer)"."""
    out = []
    for m, deps in sorted(g.items()):
        lm = layer_of(m)
        for d in sorted(deps):
            ld = layer_of(d)
            if lm == "render" and d in UTILITIES and d not in RENDER_UTILITIES:
                out.append(f"{m} -> {d} (render may use only {', '.join(sorted(RENDER_UTILITIES))})")
                continue
            if ld in (lm, "utilities") or ld in ALLOWED[lm]:
                continue
            out.append(f"{m} -> {d} ({lm} may not import {ld})")
    return out


def layer_edges(g: dict[str, set[str]]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for m, deps in g.items():
        for d in deps:
            if layer_of(d) != layer_of(m):
                edges[layer_of(m)].add(layer_of(d))
    return edges


def main(argv: list[str]) -> int:
    g = graph()
    edges = layer_edges(g)
    if "--dot" in argv:
        print("digraph layers {")
        for a, bs in sorted(edges.items()):
            for b in sorted(bs):
                print(f'  "{a}" -> "{b}";')
        print("}")
        return 0
    print(f"{len(g)} modules, {sum(len(v) for v in g.values())} imports")
    for a in ALLOWED:
        print(f"  {a:<10} imports {', '.join(sorted(edges.get(a, ()))) or '-'}")
    cyc, bad = cycles(g), violations(g)
    for c in cyc:
        print("CYCLE: " + " <-> ".join(c))
    for v in bad:
        print("LAYER: " + v)
    print("no cycles, no layer violations" if not (cyc or bad) else f"{len(cyc)} cycle(s), {len(bad)} violation(s)")
    return 1 if (cyc or bad) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
