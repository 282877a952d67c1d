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

CREATE PROCEDURE ledger_count(IN region CHAR(6), IN inspection BIGINT, IN st TINYINT,
                              IN done TINYINT, IN cat TINYINT, IN src TINYINT, IN klass TINYINT,
                              IN due DATE, IN issue_id BIGINT, IN delta INT)
BEGIN
  DECLARE pub TINYINT DEFAULT IF(st IN (8, 9), 1, 0);
  DECLARE sh TINYINT DEFAULT issue_id % 16;
  INSERT INTO ledger_states VALUES (region, inspection, st, done, sh, delta)
    ON DUPLICATE KEY UPDATE n = n + delta;
  INSERT INTO ledger_categories VALUES (region, inspection, pub, cat, sh, delta)
    ON DUPLICATE KEY UPDATE n = n + delta;
  INSERT INTO ledger_sources VALUES (region, inspection, pub, src, sh, delta)
    ON DUPLICATE KEY UPDATE n = n + delta;
  INSERT INTO ledger_classes VALUES (region, inspection, pub, klass, sh, delta)
    ON DUPLICATE KEY UPDATE n = n + delta;
  IF due IS NOT NULL AND st NOT IN (8, 9, 10) THEN
    INSERT INTO ledger_deadlines VALUES (due, region, inspection, delta)
      ON DUPLICATE KEY UPDATE n = n + delta;
  END IF;
END //

CREATE TRIGGER issues_counted_on_insert AFTER INSERT ON issues FOR EACH ROW
BEGIN
  CALL ledger_count(NEW.region_code, NEW.inspection_id, NEW.state, NEW.measures_done,
                    NEW.category, NEW.source, NEW.rectification_class, NEW.deadline, NEW.id, 1);
END //

CREATE TRIGGER issues_counted_on_update AFTER UPDATE ON issues FOR EACH ROW
BEGIN
  IF NOT (OLD.region_code <=> NEW.region_code AND OLD.inspection_id <=> NEW.inspection_id AND
          OLD.state <=> NEW.state AND OLD.measures_done <=> NEW.measures_done AND
          OLD.category <=> NEW.category AND OLD.source <=> NEW.source AND
          OLD.rectification_class <=> NEW.rectification_class AND
          OLD.deadline <=> NEW.deadline) THEN
    CALL ledger_count(OLD.region_code, OLD.inspection_id, OLD.state, OLD.measures_done,
                      OLD.category, OLD.source, OLD.rectification_class, OLD.deadline, OLD.id,
                      -1);
    CALL ledger_count(NEW.region_code, NEW.inspection_id, NEW.state, NEW.measures_done,
                      NEW.category, NEW.source, NEW.rectification_class, NEW.deadline, NEW.id,
                      1);
  END IF;
END //

CREATE TRIGGER issues_counted_on_delete AFTER DELETE ON issues FOR EACH ROW
BEGIN
  CALL ledger_count(OLD.region_code, OLD.inspection_id, OLD.state, OLD.measures_done,
                    OLD.category, OLD.source, OLD.rectification_class, OLD.deadline, OLD.id, -1);
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
