"""The house rules, checked on the source with ast so they cannot regress.

- no import circle among the modules under models/, counting imports inside functions;
- the areas of models/ import one another in one direction only (AREA_ORDER);
- each area's __init__.py names (in __all__) the modules that other areas and the blueprints may import;
- models/ never imports app or blueprints; models/rules/ imports nothing of ours but other rules;
- no role blueprint imports another role's.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# lowest first: an area may import only the areas before it
AREA_ORDER = ["rules", "core", "audit", "people", "school", "attendance", "gradebook", "teaching", "primary", "yearend",
              "health", "finance", "printing", "audit_check", "backup", "demo"]
ROLE_BLUEPRINTS = {"accountant", "admin", "auth", "homeroom", "nurse", "teacher", "vice_principal", "print",
                   "corrections"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, at the top or inside a function (`from x import y` counts x.y when
    x.y is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            for alias in node.names:
                found.add(f"{base}.{alias.name}")
    return found


def our_modules(folder: str) -> dict[str, Path]:
    return {module_name(p): p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts}


MODELS = our_modules("models")


def model_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODELS.items():
        graph[name] = {m for m in imports_of(path) if m in MODELS and m != name}
        # importing a module runs its package's __init__ first
    return graph


def area_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_no_import_circle_among_models():
    graph = model_graph()
    state, stack, cycles = {}, [], []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import circles: " + "; ".join(" → ".join(c) for c in cycles)


def test_areas_import_in_one_direction():
    wrong = []
    for name, deps in model_graph().items():
        here = area_of(name)
        if here not in AREA_ORDER:
            continue
        for dep in deps:
            there = area_of(dep)
            if there in AREA_ORDER and there != here and AREA_ORDER.index(there) > AREA_ORDER.index(here):
                wrong.append(f"{name} imports {dep} ({here} may not use {there})")
    assert not wrong, "\n".join(sorted(wrong))


def test_every_model_module_is_in_a_known_area():
    loose = [n for n in MODELS if area_of(n) not in AREA_ORDER and n not in ("models", "models.registry")]
    assert not loose, f"modules outside the areas of AREA_ORDER: {loose}"


def public_modules(area: str) -> set[str]:
    """The modules an area's __init__.py lists in __all__: what other areas and the blueprints may import."""
    tree = ast.parse((ROOT / "models" / area / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return {f"models.{area}.{elt.value}" for elt in node.value.elts}
    return set()


def test_other_areas_use_only_what_an_area_names():
    public = {area: public_modules(area) for area in AREA_ORDER if area != "rules"}
    wrong = []
    for folder in ("models", "blueprints", "."):
        modules = our_modules(folder) if folder != "." else {"app": ROOT / "app.py"}
        for name, path in modules.items():
            here = area_of(name) if folder == "models" else None
            for dep in imports_of(path):
                parts = dep.split(".")
                if (parts[0] == "models" and len(parts) > 2 and parts[1] in public and parts[1] != here
                        and dep in MODELS and dep not in public[parts[1]]):
                    wrong.append(f"{name} imports {dep}, which models/{parts[1]}/__init__.py does not name")
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_every_area_names_its_public_modules():
    for area in AREA_ORDER[1:]:
        names = public_modules(area)
        assert names, f"models/{area}/__init__.py has no __all__"
        tree = ast.parse((ROOT / "models" / area / "__init__.py").read_text(encoding="utf-8"))
        defined = {f"models.{area}.{getattr(n, 'name', '')}" for n in tree.body} | {
            f"models.{area}.{t.id}" for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
            if isinstance(t, ast.Name)}
        missing = [n for n in names if n not in MODELS and n not in defined]
        assert not missing, f"models/{area}/__init__.py names modules that do not exist: {missing}"


def test_models_never_import_the_web_app():
    wrong = [f"{name} imports {dep}" for name, path in MODELS.items() for dep in imports_of(path)
             if dep.split(".")[0] in ("app", "blueprints")]
    assert not wrong, "\n".join(wrong)


def test_rules_are_pure():
    allowed_prefixes = ("models.rules",)
    wrong = []
    for name, path in MODELS.items():
        if area_of(name) != "rules":
            continue
        for dep in imports_of(path):
            top = dep.split(".")[0]
            if top in ("models", "app", "blueprints", "flask", "peewee") and not dep.startswith(allowed_prefixes):
                wrong.append(f"{name} imports {dep}")
    assert not wrong, "\n".join(wrong)


def test_no_role_blueprint_imports_another():
    wrong = []
    for name, path in our_modules("blueprints").items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in ROLE_BLUEPRINTS:
            continue
        for dep in imports_of(path):
            dparts = dep.split(".")
            if dparts[0] == "blueprints" and len(dparts) > 1 and dparts[1] in ROLE_BLUEPRINTS and dparts[1] != parts[1]:
                wrong.append(f"{name} imports {dep}")
    assert not wrong, "\n".join(sorted(set(wrong)))
