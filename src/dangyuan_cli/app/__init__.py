"""app — one run. `context` loads rules and registers and skips the branches with errors
(StopRun when nothing may be computed); `compute` holds the cached computations (`*_for`) over a
context; `batch` plans the period-end run's parts and runs them; `checking` (with `check_part`)
runs `check` in the same parts and merges their problems; `staging` owns the output folder
(staging, summary, log, swap); `interrupts` Ctrl-C/SIGTERM; `lock`; `archive` (close, history).
Calls registers → domain → publish; never prints (the CLI renders).
"""
