"""Studies over many runs: ensembles, parameter sweeps and sensitivity analyses.

A single run of a stochastic model says little; these modules run a scenario many times
and say how likely each outcome is and how it moves with each assumption. Data flows one
way, and each module holds one step:

- `runners`     -- the pluggable interface that turns (scenario, point, seed) into an
                   outcome row; `MesaRunner` uses `sim.run` + `sim.outcome`;
- `grid`        -- `--param PATH=START:STOP:COUNT` and the grid of points it spans;
- `execution`   -- tasks cut into chunks, run in process, in a local process pool or on a
                   Dask cluster, with a progress bar; rows come back in task order;
- `chunkstore`  -- a sweep's chunks on disk as they finish, so `--resume` loses nothing;
- `stats`       -- proportions with Wilson intervals, the retaliation curve, point summaries;
- `ensemble`    -- seeded replicates of one scenario;
- `sweep`       -- a grid of scenario values times replicates, as one tidy table;
- `sensitivity` -- one-at-a-time swings and elasticities, and Sobol indices (SALib).
"""
