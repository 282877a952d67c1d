-- Whether an issue is public (the public may read it) and whether it is settled (no deadline runs
-- against it) are the domain's rules (issue-service/domain/lifecycle.cc). The service now writes
-- them with every issue as columns, and the counters' triggers read the columns instead of
-- repeating the states. For the rows already there, the migration runner sets
-- @rectify_public_states and @rectify_settled_states from the domain (the service's migration
-- variables); without them the backfill fails rather than guess.

ALTER TABLE issues
  ADD COLUMN public TINYINT NOT NULL DEFAULT 0,
  ADD COLUMN settled TINYINT NOT NULL DEFAULT 0;

-- The counters already count these rows the same way: the backfill leaves them alone.
SET @rectify_bulk_load = 1;
UPDATE issues SET
  public = FIND_IN_SET(state, @rectify_public_states) > 0,
  settled = FIND_IN_SET(state, @rectify_settled_states) > 0;
SET @rectify_bulk_load = NULL;

DROP TRIGGER issues_counted_on_insert;
DROP TRIGGER issues_counted_on_update;
DROP TRIGGER issues_counted_on_delete;

DELIMITER //

CREATE TRIGGER issues_counted_on_insert AFTER INSERT ON issues FOR EACH ROW
BEGIN
  IF @rectify_bulk_load IS NULL THEN
    INSERT INTO ledger_states VALUES (NEW.region_code, NEW.inspection_id, NEW.state,
        NEW.measures_done, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
    INSERT INTO ledger_categories VALUES (NEW.region_code, NEW.inspection_id,
        NEW.public, NEW.category, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
    INSERT INTO ledger_sources VALUES (NEW.region_code, NEW.inspection_id,
        NEW.public, NEW.source, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
    INSERT INTO ledger_classes VALUES (NEW.region_code, NEW.inspection_id,
        NEW.public, NEW.rectification_class, NEW.id % 16, 1)
        ON DUPLICATE KEY UPDATE n = n + 1;
    IF NEW.deadline IS NOT NULL AND NOT NEW.settled THEN
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
            OLD.public <=> NEW.public AND OLD.category <=> NEW.category AND
            OLD.source <=> NEW.source AND
            OLD.rectification_class <=> NEW.rectification_class) THEN
      UPDATE ledger_categories SET n = n - 1 WHERE region_code = OLD.region_code AND
          inspection_id = OLD.inspection_id AND public = OLD.public AND
          category = OLD.category AND shard = OLD.id % 16;
      INSERT INTO ledger_categories VALUES (NEW.region_code, NEW.inspection_id,
          NEW.public, NEW.category, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
      UPDATE ledger_sources SET n = n - 1 WHERE region_code = OLD.region_code AND
          inspection_id = OLD.inspection_id AND public = OLD.public AND
          source = OLD.source AND shard = OLD.id % 16;
      INSERT INTO ledger_sources VALUES (NEW.region_code, NEW.inspection_id,
          NEW.public, NEW.source, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
      UPDATE ledger_classes SET n = n - 1 WHERE region_code = OLD.region_code AND
          inspection_id = OLD.inspection_id AND public = OLD.public AND
          rectification_class = OLD.rectification_class AND shard = OLD.id % 16;
      INSERT INTO ledger_classes VALUES (NEW.region_code, NEW.inspection_id,
          NEW.public, NEW.rectification_class, NEW.id % 16, 1)
          ON DUPLICATE KEY UPDATE n = n + 1;
    END IF;
    IF NOT (OLD.deadline <=> NEW.deadline AND OLD.region_code <=> NEW.region_code AND
            OLD.inspection_id <=> NEW.inspection_id AND
            OLD.settled <=> NEW.settled) THEN
      IF OLD.deadline IS NOT NULL AND NOT OLD.settled THEN
        UPDATE ledger_deadlines SET n = n - 1 WHERE deadline = OLD.deadline AND
            region_code = OLD.region_code AND inspection_id = OLD.inspection_id;
      END IF;
      IF NEW.deadline IS NOT NULL AND NOT NEW.settled THEN
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
        inspection_id = OLD.inspection_id AND public = OLD.public AND
        category = OLD.category AND shard = OLD.id % 16;
    UPDATE ledger_sources SET n = n - 1 WHERE region_code = OLD.region_code AND
        inspection_id = OLD.inspection_id AND public = OLD.public AND
        source = OLD.source AND shard = OLD.id % 16;
    UPDATE ledger_classes SET n = n - 1 WHERE region_code = OLD.region_code AND
        inspection_id = OLD.inspection_id AND public = OLD.public AND
        rectification_class = OLD.rectification_class AND shard = OLD.id % 16;
    IF OLD.deadline IS NOT NULL AND NOT OLD.settled THEN
      UPDATE ledger_deadlines SET n = n - 1 WHERE deadline = OLD.deadline AND
          region_code = OLD.region_code AND inspection_id = OLD.inspection_id;
    END IF;
  END IF;
END //

DELIMITER ;
