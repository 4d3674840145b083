"""Reading run directories: metrics.h5 attributes (stored as bytes) and the resolved config (YAML)."""
import yaml


def read_attr(f, name, default=""):
    """A string attribute of an open metrics.h5 (h5py returns bytes)."""
    v = f.attrs.get(name, default)
    return v.decode() if isinstance(v, bytes) else str(v)


def run_config(f):
    """The run's resolved config as a dict."""
    return yaml.safe_load(read_attr(f, "config")) or {}


def sampler_label(f):
    """The sampler's name with the settings that tell its variants apart, and the target's ε."""
    cfg = run_config(f)
    sampler = read_attr(f, "sampler", "?")
    s = cfg.get("sampler", {})
    label = sampler
    if sampler.startswith("stanley"):
        label += f" th={s.get('th')}"
        if s.get("gamma_times_s"):
            label += " ×s"
        if sampler == "stanley" and s.get("gamma_at", "previous_samples") != "previous_samples":
            label += f" γ@{s.get('gamma_at')}"
    return label + f" (ε={s.get('noise', 0)})"
