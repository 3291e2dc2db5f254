DROP TABLE reconciliation_runs;
