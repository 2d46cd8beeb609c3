"""What a benchmark ran on: CPU, cores, NumPy and its BLAS, how busy the machine was, and its
nominal float64 peak."""
from __future__ import annotations

import datetime
import os
import platform
import re
from pathlib import Path

import numpy as np

from course_tools.timing import blas_setting

CPUINFO = Path("/proc/cpuinfo")
SHARED_MACHINE_NOTE = ("Measured on a shared machine: other processes may have been running. The load "
                       "averages at the start and end of the run say how busy it was (cores busy, on "
                       "average, over the last 1, 5 and 15 minutes).")


def _cpuinfo() -> str:
    try:
        return CPUINFO.read_text(encoding="utf-8")
    except OSError:
        return ""


def _field(name: str, text: str) -> str | None:
    match = re.search(rf"^{name}\s*:\s*(.*)$", text, re.M)
    return match.group(1).strip() if match else None


def load_average() -> list[float] | None:
    return [round(v, 2) for v in os.getloadavg()] if hasattr(os, "getloadavg") else None


def blas() -> dict:
    """NumPy's BLAS as reported by ``np.show_config(mode="dicts")``."""
    config = np.show_config(mode="dicts")
    info = config.get("Build Dependencies", {}).get("blas", {})
    return {key: info.get(key) for key in ("name", "version", "found", "openblas configuration")
            if key in info}


def describe() -> dict:
    text = _cpuinfo()
    return {"cpu": _field("model name", text) or platform.processor() or platform.machine(),
            "cpu_vendor": _field("vendor_id", text), "cores": os.cpu_count(),
            "python": platform.python_version(), "numpy": np.__version__, "blas": blas(),
            "load_average_start": load_average(), "blas_while_timing": blas_setting()}


def nominal_peak_gflops(cores: int | None = None) -> dict:
    """Float64 peak = cores x clock x FLOPs per cycle per core, from /proc/cpuinfo (``cores``: all of
    them unless given; the benchmarks time BLAS on one thread, so they ask for one).

    FLOPs per cycle come from the vector flags: an FMA is 2 FLOPs on every lane, and x86 server
    cores have 2 FMA units. AVX2 + FMA: 4 doubles x 2 x 2 = 16. AVX-512: 8 x 2 x 2 = 32 on Intel;
    AMD Zen 4 executes a 512-bit FMA as two 256-bit halves, so 16. Otherwise SSE2: 2 x 2 = 4 (no FMA).
    The clock is the "cpu MHz" the kernel reports; under a hypervisor that is the nominal (base)
    clock, and boosting cores can exceed the resulting figure.
    """
    text = _cpuinfo()
    flags = set((_field("flags", text) or "").split())
    vendor = _field("vendor_id", text) or "unknown"
    if "avx512f" in flags and vendor == "GenuineIntel":
        per_cycle, rule = 32, "AVX-512F on Intel: 8 doubles x 2 FLOPs (FMA) x 2 FMA units"
    elif "avx512f" in flags:
        per_cycle, rule = 16, "AVX-512F on AMD (two 256-bit halves): 4 doubles x 2 FLOPs x 2 FMA units"
    elif {"avx2", "fma"} <= flags:
        per_cycle, rule = 16, "AVX2 + FMA: 4 doubles x 2 FLOPs (FMA) x 2 FMA units"
    else:
        per_cycle, rule = 4, "SSE2, no FMA: 2 doubles x 1 FLOP x 2 units"
    mhz = [float(m) for m in re.findall(r"^cpu MHz\s*:\s*([\d.]+)", text, re.M)]
    ghz = max(mhz) / 1e3 if mhz else float("nan")
    cores = cores or os.cpu_count() or 1
    return {"gflops": cores * ghz * per_cycle, "cores": cores, "ghz": ghz, "flops_per_cycle": per_cycle,
            "method": f"cores x GHz x FLOPs/cycle; FLOPs/cycle from /proc/cpuinfo flags: {rule}; "
                      "GHz: the largest 'cpu MHz' in /proc/cpuinfo (nominal under a hypervisor)"}


def today() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
