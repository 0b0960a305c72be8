#!/usr/bin/env python3
"""Check that src/ is layered: no import circle, and no module importing a higher layer.

Reads the import graph that `module-graph.py --json` prints (from standard input) and the layer
order below, which src/README.md explains. Prints every import that runs up a layer and exits 1
when there is one, or when the graph has a circle.
"""
import json
import sys

# From the bottom. A module may import its own layer and those below it.
LAYERS = [
    "support",
    "deal",
    "script",
    "model",
    "fit",
    "load",
    "engine",
    "analytics",
    "testing",
    "registry",
    "import",
    "contract",
    "cli",
]


def layer_of(module: str) -> int:
    top = module.split("::")[0]
    if top == "crate":
        return len(LAYERS)  # lib.rs and main.rs: the table of contents sees everything
    if top not in LAYERS:
        raise SystemExit(f"layers.py: module `{module}` is in no layer; add `{top}` to LAYERS")
    return LAYERS.index(top)


def main() -> int:
    graph = json.load(sys.stdin)
    problems = []
    for circle in graph["circles"]:
        problems.append(f"import circle: {', '.join(circle['modules'])}")
    for edge in graph["imports"]:
        source, target = edge["from"], edge["to"]
        if layer_of(target) > layer_of(source):
            names = ", ".join(edge.get("names", []))
            problems.append(f"{source} ({LAYERS[layer_of(source)]}) imports {target} "
                            f"({LAYERS[layer_of(target)]}): {names}")
    for problem in problems:
        print(problem)
    print(f"layers: {len(graph['modules'])} modules, {len(graph['imports'])} imports, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
