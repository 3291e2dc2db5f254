-- 0003 reconciliation runs: one row per `bitcurrent reconcile` (or POST /internal/v1/reconciliation/run), with the
-- report as JSON (amounts as strings of minor units).
CREATE TABLE reconciliation_runs (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_at            timestamptz NOT NULL DEFAULT now(),
    ledger_timestamp  bigint      NOT NULL,
    balanced          boolean     NOT NULL,
    discrepancy_count integer     NOT NULL CHECK (discrepancy_count >= 0),
    report            jsonb       NOT NULL,
    CHECK (balanced = (discrepancy_count = 0))
);

CREATE INDEX reconciliation_runs_run_at ON reconciliation_runs (run_at);
