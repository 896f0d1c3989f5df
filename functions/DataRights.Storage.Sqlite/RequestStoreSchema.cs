namespace DataRights.Storage.Sqlite;

/// <summary>The request store's migrations, in order. Never edit a shipped one: add the next.</summary>
public static class RequestStoreSchema
{
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE requests (
            id                TEXT PRIMARY KEY,
            reference         TEXT NOT NULL UNIQUE,
            type              TEXT NOT NULL,
            status            TEXT NOT NULL,
            jurisdiction      TEXT NOT NULL,
            channel           TEXT NOT NULL,
            email             TEXT NOT NULL,
            full_name         TEXT NOT NULL,
            account_reference TEXT,
            details           TEXT,
            received_at       TEXT NOT NULL,
            regime            TEXT NOT NULL,
            received_on       TEXT NOT NULL,
            due_on            TEXT NOT NULL,
            acknowledge_by    TEXT,
            status_token_hash TEXT NOT NULL UNIQUE,
            fingerprint       TEXT NOT NULL,
            version           INTEGER NOT NULL,
            updated_at        TEXT NOT NULL,
            audit_seq         INTEGER NOT NULL,
            audit_head        TEXT NOT NULL
        );
        CREATE INDEX ix_requests_fingerprint ON requests (fingerprint, received_at);
        CREATE INDEX ix_requests_email ON requests (email);
        CREATE INDEX ix_requests_status_due ON requests (status, due_on);

        CREATE TABLE audit_entries (
            request_id    TEXT NOT NULL,
            seq           INTEGER NOT NULL,
            at            TEXT NOT NULL,
            actor         TEXT NOT NULL,
            action        TEXT NOT NULL,
            from_status   TEXT,
            to_status     TEXT,
            details       TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash          TEXT NOT NULL,
            PRIMARY KEY (request_id, seq)
        ) WITHOUT ROWID;
        CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;

        CREATE TABLE reference_counters (
            year INTEGER PRIMARY KEY,
            last INTEGER NOT NULL
        );
        """,
        """
        ALTER TABLE requests ADD COLUMN progress TEXT NOT NULL DEFAULT '{}';

        CREATE TABLE work_items (
            id           TEXT PRIMARY KEY,
            request_id   TEXT NOT NULL,
            kind         TEXT NOT NULL,
            payload      TEXT NOT NULL,
            not_before   TEXT NOT NULL,
            state        TEXT NOT NULL,
            attempts     INTEGER NOT NULL DEFAULT 0,
            lease_token  TEXT,
            lease_until  TEXT,
            last_error   TEXT,
            created_at   TEXT NOT NULL,
            finished_at  TEXT
        ) WITHOUT ROWID;
        CREATE INDEX ix_work_items_due ON work_items (state, not_before);
        CREATE INDEX ix_work_items_lease ON work_items (state, lease_until);
        CREATE INDEX ix_work_items_request ON work_items (request_id);
        """,
        """
        -- Fewer indexes on the hottest writes: a leased item's lease end now lives in not_before, and
        -- requests are not looked up by email (discovery searches the sources, not this table).
        UPDATE work_items SET not_before = lease_until WHERE state = 'leased' AND lease_until IS NOT NULL;
        DROP INDEX ix_work_items_lease;
        DROP INDEX ix_requests_email;
        """,
        """
        CREATE TABLE data_sources (
            key          TEXT PRIMARY KEY,
            registration TEXT NOT NULL,
            active       INTEGER NOT NULL,
            updated_at   TEXT NOT NULL,
            updated_by   TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE legal_holds (
            id           TEXT PRIMARY KEY,
            hold         TEXT NOT NULL,
            active       INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE job_runs (
            name          TEXT PRIMARY KEY,
            scheduled_for TEXT NOT NULL,
            finished_at   TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE suppressions (
            email_hash TEXT PRIMARY KEY,
            request_id TEXT NOT NULL,
            added_at   TEXT NOT NULL
        );
        """,
        """
        -- Retention (issue 7): policies per region, purge runs and their report rows, leases on sources,
        -- follow-up erasures of requests, and system audit chains (the retention chain), append-only.
        CREATE TABLE retention_policies (
            region     TEXT PRIMARY KEY,
            policy     TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );

        CREATE TABLE system_audit_entries (
            chain         TEXT NOT NULL,
            seq           INTEGER NOT NULL,
            at            TEXT NOT NULL,
            actor         TEXT NOT NULL,
            action        TEXT NOT NULL,
            from_status   TEXT,
            to_status     TEXT,
            details       TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash          TEXT NOT NULL,
            PRIMARY KEY (chain, seq)
        ) WITHOUT ROWID;
        CREATE TRIGGER system_audit_entries_no_update BEFORE UPDATE ON system_audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER system_audit_entries_no_delete BEFORE DELETE ON system_audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TABLE system_audit_heads (
            chain TEXT PRIMARY KEY,
            seq   INTEGER NOT NULL,
            hash  TEXT NOT NULL
        );

        CREATE TABLE purge_runs (
            id            TEXT PRIMARY KEY,
            region        TEXT NOT NULL,
            trigger       TEXT NOT NULL,
            dry_run       INTEGER NOT NULL,
            scheduled_for TEXT NOT NULL,
            started_at    TEXT NOT NULL,
            status        TEXT NOT NULL,
            finished_at   TEXT
        );
        CREATE INDEX ix_purge_runs_started ON purge_runs (started_at);

        CREATE TABLE purge_rows (
            run_id      TEXT NOT NULL,
            source_key  TEXT NOT NULL,
            item        TEXT NOT NULL,
            kind        TEXT NOT NULL,
            category    TEXT NOT NULL,
            state       TEXT NOT NULL,
            request_id  TEXT,
            cutoff      TEXT,
            scanned     INTEGER NOT NULL,
            purged      INTEGER NOT NULL,
            held        INTEGER NOT NULL,
            retained    INTEGER NOT NULL,
            errors      INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            note        TEXT,
            PRIMARY KEY (run_id, source_key, item)
        ) WITHOUT ROWID;

        CREATE TABLE source_leases (
            source_key TEXT PRIMARY KEY,
            holder     TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );

        CREATE TABLE follow_up_erasures (
            id         TEXT PRIMARY KEY,
            request_id TEXT NOT NULL,
            source_key TEXT NOT NULL,
            category   TEXT NOT NULL,
            due_on     TEXT NOT NULL,
            state      TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            note       TEXT
        );
        CREATE INDEX ix_follow_up_erasures_due ON follow_up_erasures (state, due_on);
        CREATE INDEX ix_follow_up_erasures_request ON follow_up_erasures (request_id);
        """,
        """
        -- Intake looks up the request of an address still waiting for confirmation: a partial index, so the
        -- hot writes of every other status do not maintain it.
        CREATE INDEX ix_requests_awaiting_verification_email ON requests (email) WHERE status = 'awaiting_verification';
        """,
    ];
}
