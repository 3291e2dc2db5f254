-- 0004 adjustments: the maker-checker desk of the runbook's "fix discrepancies (with approval)" step. One row per
-- proposed adjusting entry, and an append-only audit trail of every call, refusals included. An approved proposal's
-- transfer is in `transfers` (and its entries in `ledger_entries`) under transfer_id; nothing else moves money.
CREATE TABLE adjustments (
    proposal_id       numeric(20,0) PRIMARY KEY CHECK (proposal_id > 0),
    currency          text          NOT NULL,
    debit_account_id  bytea         NOT NULL CHECK (length(debit_account_id) = 16),
    credit_account_id bytea         NOT NULL CHECK (length(credit_account_id) = 16),
    amount            numeric(39,0) NOT NULL CHECK (amount > 0),
    reason            text          NOT NULL CHECK (btrim(reason) <> ''),
    deposit_id        numeric(20,0) CHECK (deposit_id > 0),
    transfer_id       bytea         NOT NULL UNIQUE CHECK (length(transfer_id) = 16),
    proposed_by       text          NOT NULL CHECK (btrim(proposed_by) <> ''),
    proposed_at       bigint        NOT NULL CHECK (proposed_at > 0),
    status            text          NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
    decided_by        text,
    decided_at        bigint,
    decision_note     text,
    CHECK (debit_account_id <> credit_account_id),
    -- the checker is never the maker; a proposal is decided exactly when it has a decider and a time
    CHECK ((status = 'proposed') = (decided_by IS NULL AND decided_at IS NULL)),
    CHECK (status <> 'approved' OR lower(btrim(decided_by)) <> lower(btrim(proposed_by))),
    CHECK (status <> 'rejected' OR btrim(coalesce(decision_note, '')) <> '')
);

CREATE INDEX adjustments_status ON adjustments (status);

CREATE TABLE adjustment_audit (
    id              bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              bigint        NOT NULL,
    operator_id     text          NOT NULL,
    action          text          NOT NULL CHECK (action IN ('proposed', 'approved', 'rejected', 'refused')),
    proposal_id     numeric(20,0) NOT NULL,
    result          integer       NOT NULL,
    transfer_result integer       NOT NULL,
    detail          text          NOT NULL,
    recorded_at     timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX adjustment_audit_proposal ON adjustment_audit (proposal_id, id);
