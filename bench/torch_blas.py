"""What BLAS a PyTorch benchmark script runs on, for bench/report.py, and one place that sets its thread count.

Debian's PyTorch does its dense products in the system OpenBLAS, whose kernel depends on the CPU and on
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (bench/run.sh unsets both for PyTorch; with them set, 1.13's 2048³ float
GEMM ran 32.8 GFLOP/s instead of about 177 on one thread). `describe()` records what actually ran: the summary
of `torch.__config__.show()`, OpenBLAS's core name read through ctypes from the library loaded in this process,
and the thread counts of both.
"""
import ctypes
import ctypes.util
import os

import torch

PINNING_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def _loaded_blas_libraries():
    """Paths of the BLAS libraries mapped into this process (torch links them at import), in load order."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.split()
                if len(fields) >= 6 and "blas" in os.path.basename(fields[5]) and fields[5] not in paths:
                    paths.append(fields[5])
    except OSError:
        pass
    if not paths:
        found = ctypes.util.find_library("openblas")
        if found:
            paths.append(found)
    return paths


def _openblas():
    """(path, library) of the first loaded library that is OpenBLAS, or (None, None)."""
    for path in _loaded_blas_libraries():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        if hasattr(lib, "openblas_get_corename"):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return path, lib
    return None, None


def set_threads(n):
    """Uses n threads in PyTorch and in OpenBLAS: Debian's build does not pass torch.set_num_threads on to
    OpenBLAS, which otherwise takes OPENBLAS_NUM_THREADS / OMP_NUM_THREADS or every core."""
    torch.set_num_threads(n)
    _, lib = _openblas()
    if lib is not None and hasattr(lib, "openblas_set_num_threads"):
        lib.openblas_set_num_threads(ctypes.c_int(n))


def _config_summary():
    """The lines of torch.__config__.show() that say what does the arithmetic, without the compiler flags."""
    parts = []
    for line in torch.__config__.show().splitlines():
        line = line.strip().lstrip("- ").strip()
        if line.startswith("Build settings:"):
            settings = [s.strip() for s in line[len("Build settings:"):].split(",")]
            parts += [s for s in settings if s.split("=")[0] in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN")]
        elif any(word in line for word in ("Math Kernel Library", "MKL-DNN", "oneDNN", "CPU capability")):
            parts.append(line)
    return "; ".join(parts)


def describe():
    """A JSON-ready record of the BLAS this process uses: its fields are read by bench/report.py."""
    path, lib = _openblas()
    info = {"torch_config": _config_summary(), "torch_threads": torch.get_num_threads(),
            "openblas_library": path, "openblas_corename": None, "openblas_config": None, "openblas_threads": None,
            "pinning_env": {name: os.environ[name] for name in PINNING_VARIABLES if name in os.environ}}
    if lib is not None:
        info["openblas_corename"] = lib.openblas_get_corename().decode(errors="replace")
        info["openblas_config"] = lib.openblas_get_config().decode(errors="replace")
        if hasattr(lib, "openblas_get_num_threads"):
            info["openblas_threads"] = lib.openblas_get_num_threads()
    return info


if __name__ == "__main__":
    import json
    print(json.dumps(describe(), indent=1))
