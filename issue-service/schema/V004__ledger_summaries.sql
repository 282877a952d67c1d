-- Ledger statistics without scanning the ledger. Triggers on `issues` keep one small counter
-- table per dimension in the same transaction as every write of an issue, whoever writes it.
-- Counters are sharded by issue id so that concurrent changes of similar issues do not queue on
-- one row; `public` marks issues the public may see (public notice or closed).

ALTER TABLE issues ADD COLUMN measures_done TINYINT NOT NULL DEFAULT 0;

UPDATE issues SET measures_done =
  COALESCE(NOT JSON_CONTAINS(JSON_EXTRACT(body, '$.measures[*].done'), 'false'), 1);

CREATE TABLE ledger_states (
  region_code CHAR(6) NOT NULL,
  inspection_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  measures_done TINYINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (region_code, inspection_id, state, measures_done, shard)
) ENGINE=InnoDB;

CREATE TABLE ledger_categories (
  region_code CHAR(6) NOT NULL,
  inspection_id BIGINT NOT NULL,
  public TINYINT NOT NULL,
  category TINYINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (region_code, inspection_id, public, category, shard)
) ENGINE=InnoDB;

CREATE TABLE ledger_sources (
  region_code CHAR(6) NOT NULL,
  inspection_id BIGINT NOT NULL,
  public TINYINT NOT NULL,
  source TINYINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (region_code, inspection_id, public, source, shard)
) ENGINE=InnoDB;

CREATE TABLE ledger_classes (
  region_code CHAR(6) NOT NULL,
  inspection_id BIGINT NOT NULL,
  public TINYINT NOT NULL,
  rectification_class TINYINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (region_code, inspection_id, public, rectification_class, shard)
) ENGINE=InnoDB;

-- Issues still running (not in public notice, closed or stage-completed) by deadline: overdue
-- counts are a range over this table. Deadlines spread writes by themselves; no shards.
CREATE TABLE ledger_deadlines (
  deadline DATE NOT NULL,
  region_code CHAR(6) NOT NULL,
  inspection_id BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (deadline, region_code, inspection_id)
) ENGINE=InnoDB;

DELIMITER //

-- The counting is written out in each trigger (a CALL costs more than the upserts themselves).
-- A session that sets @rectify_bulk_load (the synthetic ledger loader, under the migration
-- account) skips it and rebuilds the counters afterwards.

CREATE TRIGGER issues_counted_on_insert AFTER INSERT ON issues FOR EACH ROW
BEGIN
  IF @rectify_bulk_load IS NULL THEN
    INSERT INTO ledger_states VALUES (NEW.region_code, NEW.inspection_id, NEW.state,
        NEW.measures_done, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
    INSERT INTO ledger_categories VALUES (NEW.region_code, NEW.inspection_id,
        NEW.state IN (8, 9), NEW.category, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
    INSERT INTO ledger_sources VALUES (NEW.region_code, NEW.inspection_id,
        NEW.state IN (8, 9), NEW.source, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
    INSERT INTO ledger_classes VALUES (NEW.region_code, NEW.inspection_id,
        NEW.state IN (8, 9), NEW.rectification_class, NEW.id % 16, 1)
        ON DUPLICATE KEY UPDATE n = n + 1;
    IF NEW.deadline IS NOT NULL AND NEW.state NOT IN (8, 9, 10) THEN
      INSERT INTO ledger_deadlines VALUES (NEW.deadline, NEW.region_code, NEW.inspection_id, 1)
          ON DUPLICATE KEY UPDATE n = n + 1;
    END IF;
  END IF;
END //

CREATE TRIGGER issues_counted_on_update AFTER UPDATE ON issues FOR EACH ROW
BEGIN
  IF @rectify_bulk_load IS NULL THEN
    IF NOT (OLD.region_code <=> NEW.region_code AND OLD.inspection_id <=> NEW.inspection_id AND
            OLD.state <=> NEW.state AND OLD.measures_done <=> NEW.measures_done) THEN
      UPDATE ledger_states SET n = n - 1 WHERE region_code = OLD.region_code AND
          inspection_id = OLD.inspection_id AND state = OLD.state AND
          measures_done = OLD.measures_done AND shard = OLD.id % 16;
      INSERT INTO ledger_states VALUES (NEW.region_code, NEW.inspection_id, NEW.state,
          NEW.measures_done, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
    END IF;
    IF NOT (OLD.region_code <=> NEW.region_code AND OLD.inspection_id <=> NEW.inspection_id AND
            (OLD.state IN (8, 9)) <=> (NEW.state IN (8, 9)) AND OLD.category <=> NEW.category AND
            OLD.source <=> NEW.source AND
            OLD.rectification_class <=> NEW.rectification_class) THEN
      UPDATE ledger_categories SET n = n - 1 WHERE region_code = OLD.region_code AND
          inspection_id = OLD.inspection_id AND public = (OLD.state IN (8, 9)) AND
          category = OLD.category AND shard = OLD.id % 16;
      INSERT INTO ledger_categories VALUES (NEW.region_code, NEW.inspection_id,
          NEW.state IN (8, 9), NEW.category, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
      UPDATE ledger_sources SET n = n - 1 WHERE region_code = OLD.region_code AND
          inspection_id = OLD.inspection_id AND public = (OLD.state IN (8, 9)) AND
          source = OLD.source AND shard = OLD.id % 16;
      INSERT INTO ledger_sources VALUES (NEW.region_code, NEW.inspection_id,
          NEW.state IN (8, 9), NEW.source, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
      UPDATE ledger_classes SET n = n - 1 WHERE region_code = OLD.region_code AND
          inspection_id = OLD.inspection_id AND public = (OLD.state IN (8, 9)) AND
          rectification_class = OLD.rectification_class AND shard = OLD.id % 16;
      INSERT INTO ledger_classes VALUES (NEW.region_code, NEW.inspection_id,
          NEW.state IN (8, 9), NEW.rectification_class, NEW.id % 16, 1)
          ON DUPLICATE KEY UPDATE n = n + 1;
    END IF;
    IF NOT (OLD.deadline <=> NEW.deadline AND OLD.region_code <=> NEW.region_code AND
            OLD.inspection_id <=> NEW.inspection_id AND
            (OLD.state IN (8, 9, 10)) <=> (NEW.state IN (8, 9, 10))) THEN
      IF OLD.deadline IS NOT NULL AND OLD.state NOT IN (8, 9, 10) THEN
        UPDATE ledger_deadlines SET n = n - 1 WHERE deadline = OLD.deadline AND
            region_code = OLD.region_code AND inspection_id = OLD.inspection_id;
      END IF;
      IF NEW.deadline IS NOT NULL AND NEW.state NOT IN (8, 9, 10) THEN
        INSERT INTO ledger_deadlines VALUES (NEW.deadline, NEW.region_code, NEW.inspection_id, 1)
            ON DUPLICATE KEY UPDATE n = n + 1;
      END IF;
    END IF;
  END IF;
END //

CREATE TRIGGER issues_counted_on_delete AFTER DELETE ON issues FOR EACH ROW
BEGIN
  IF @rectify_bulk_load IS NULL THEN
    UPDATE ledger_states SET n = n - 1 WHERE region_code = OLD.region_code AND
        inspection_id = OLD.inspection_id AND state = OLD.state AND
        measures_done = OLD.measures_done AND shard = OLD.id % 16;
    UPDATE ledger_categories SET n = n - 1 WHERE region_code = OLD.region_code AND
        inspection_id = OLD.inspection_id AND public = (OLD.state IN (8, 9)) AND
        category = OLD.category AND shard = OLD.id % 16;
    UPDATE ledger_sources SET n = n - 1 WHERE region_code = OLD.region_code AND
        inspection_id = OLD.inspection_id AND public = (OLD.state IN (8, 9)) AND
        source = OLD.source AND shard = OLD.id % 16;
    UPDATE ledger_classes SET n = n - 1 WHERE region_code = OLD.region_code AND
        inspection_id = OLD.inspection_id AND public = (OLD.state IN (8, 9)) AND
        rectification_class = OLD.rectification_class AND shard = OLD.id % 16;
    IF OLD.deadline IS NOT NULL AND OLD.state NOT IN (8, 9, 10) THEN
      UPDATE ledger_deadlines SET n = n - 1 WHERE deadline = OLD.deadline AND
          region_code = OLD.region_code AND inspection_id = OLD.inspection_id;
    END IF;
  END IF;
END //

DELIMITER ;

-- The issues that existed before these counters.
INSERT INTO ledger_states
  SELECT region_code, inspection_id, state, measures_done, id % 16, COUNT(*) FROM issues
  GROUP BY 1, 2, 3, 4, 5;
INSERT INTO ledger_categories
  SELECT region_code, inspection_id, state IN (8, 9), category, id % 16, COUNT(*) FROM issues
  GROUP BY 1, 2, 3, 4, 5;
INSERT INTO ledger_sources
  SELECT region_code, inspection_id, state IN (8, 9), source, id % 16, COUNT(*) FROM issues
  GROUP BY 1, 2, 3, 4, 5;
INSERT INTO ledger_classes
  SELECT region_code, inspection_id, state IN (8, 9), rectification_class, id % 16, COUNT(*)
  FROM issues GROUP BY 1, 2, 3, 4, 5;
INSERT INTO ledger_deadlines
  SELECT deadline, region_code, inspection_id, COUNT(*) FROM issues
  WHERE deadline IS NOT NULL AND state NOT IN (8, 9, 10) GROUP BY 1, 2, 3;
