-- Ledger statistics without scanning the ledger: counts kept in the same transaction as every
-- change, sharded by issue id so that concurrent changes of similar issues do not queue on one
-- counter row. GetLedgerStats reads these; a department's view is computed from the issues.

ALTER TABLE issues ADD COLUMN measures_done TINYINT NOT NULL DEFAULT 0;

UPDATE issues SET measures_done =
  COALESCE(NOT JSON_CONTAINS(JSON_EXTRACT(body, '$.measures[*].done'), 'false'), 1);

CREATE TABLE ledger_counts (
  region_code CHAR(6) NOT NULL,
  inspection_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  category TINYINT NOT NULL,
  source TINYINT NOT NULL,
  rectification_class TINYINT NOT NULL,
  measures_done TINYINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (region_code, inspection_id, state, category, source, rectification_class,
               measures_done, shard)
) ENGINE=InnoDB;

-- Issues still running (not in public notice, closed or stage-completed) by deadline: overdue
-- counts are a range over this table.
CREATE TABLE ledger_deadlines (
  deadline DATE NOT NULL,
  region_code CHAR(6) NOT NULL,
  inspection_id BIGINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (deadline, region_code, inspection_id, shard)
) ENGINE=InnoDB;

INSERT INTO ledger_counts
  SELECT region_code, inspection_id, state, category, source, rectification_class, measures_done,
         id % 16, COUNT(*)
  FROM issues
  GROUP BY region_code, inspection_id, state, category, source, rectification_class,
           measures_done, id % 16;

INSERT INTO ledger_deadlines
  SELECT deadline, region_code, inspection_id, id % 16, COUNT(*)
  FROM issues
  WHERE deadline IS NOT NULL AND state NOT IN (8, 9, 10)
  GROUP BY deadline, region_code, inspection_id, id % 16;
