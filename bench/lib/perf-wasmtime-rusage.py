# Runs wasmtime (through STELP_WASMTIME) and writes its resource usage as JSON to the file named by
# the first argument: bench/perf.mjs measures the wasmtime engine's CPU time and peak RSS this way
# (node cannot read a child's rusage).
#
#   perf-wasmtime-rusage.py OUT_FILE [--precompile] WASMTIME run OPTIONS... MODULE
#
# Without --precompile: runs the command as given; writes { cpuMs, maxRSS, wallMs }.
# With --precompile: first `WASMTIME compile OPTIONS... -o MODULE.cwasm MODULE` (the same options,
# so the same engine configuration: fuel, limits; plus epoch interruption, which `-W timeout` needs
# compiled in), then `WASMTIME run OPTIONS... --allow-precompiled
# MODULE.cwasm`; cpuMs, maxRSS and wallMs are the run's alone, compileCpuMs the compile's. This
# separates Cranelift's compile of the module (which grows with its size) from its execution.
import json, os, subprocess, sys, time


def measured(command):
    start = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    code = os.waitstatus_to_exitcode(status)
    return code, {"cpuMs": (usage.ru_utime + usage.ru_stime) * 1000, "maxRSS": usage.ru_maxrss * 1024, "wallMs": wall}


out_file, rest = sys.argv[1], sys.argv[2:]
precompile = rest[:1] == ["--precompile"]
command = rest[1:] if precompile else rest
result = {}
if precompile and len(command) >= 3 and command[1] == "run":
    wasmtime, options, module = command[0], command[2:-1], command[-1]
    compiled = module + ".cwasm"
    # `run -W timeout=` interrupts through epochs, which must be compiled in.
    epochs = ["-W", "epoch-interruption=y"] if any(o.startswith("timeout=") for o in options) else []
    code, compile_usage = measured([wasmtime, "compile", *options, *epochs, "-o", compiled, module])
    if code != 0:
        sys.exit(code)
    result["compileCpuMs"] = compile_usage["cpuMs"]
    command = [wasmtime, "run", *options, "--allow-precompiled", compiled]
code, usage = measured(command)
result.update(usage)
with open(out_file, "w") as f:
    json.dump(result, f)
sys.exit(code if code >= 0 else 128 - code)
