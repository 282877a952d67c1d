-- Supervision (DESIGN.md §4.3-4.4): records kept from the issue registry's events, the versioned
-- escalation policy, escalations, report obligations, linkage requests, meetings and their
-- directives, and the counts the battle map reads. The platform's tables (idempotency, history,
-- outbox, consumer cursors, delivery intents) come from common/schema.
-- Rows keep the domain object as canonical JSON in `body`; the columns beside it are what
-- queries select and order by.

CREATE TABLE records (
  issue_id BIGINT NOT NULL PRIMARY KEY,
  region_code CHAR(6) NOT NULL,
  lead_org_id VARCHAR(64) NOT NULL,
  state TINYINT NOT NULL,
  level TINYINT NOT NULL,
  light TINYINT NOT NULL,
  active TINYINT NOT NULL,
  -- Active and no deadline running any more (public notice, closed, stage completed): the
  -- service writes it from the domain's rule.
  settled TINYINT NOT NULL,
  deadline DATE NULL,
  -- What the sweep evaluates, so that it reads no JSON.
  progress TINYINT NOT NULL,
  rejections INT NOT NULL,
  assign_time DATETIME(6) NULL,
  notices INT NOT NULL,
  listed_time DATETIME(6) NULL,
  report_months VARCHAR(120) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_hash CHAR(64) NOT NULL,
  KEY records_sweep (active, settled, issue_id),
  KEY records_region (region_code, issue_id),
  KEY records_active (active, issue_id),
  KEY records_light (light, issue_id),
  KEY records_lead (lead_org_id, issue_id)
) ENGINE=InnoDB;

-- The orgs that lead or rectify each supervised issue (for an org's scope).
CREATE TABLE record_orgs (
  org_id VARCHAR(64) NOT NULL,
  issue_id BIGINT NOT NULL,
  PRIMARY KEY (org_id, issue_id),
  KEY record_orgs_issue (issue_id)
) ENGINE=InnoDB;

CREATE TABLE policies (
  version BIGINT NOT NULL PRIMARY KEY,
  body LONGTEXT NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE escalations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- "issues/42" or "directives/7"
  subject VARCHAR(64) NOT NULL,
  issue_id BIGINT NOT NULL,
  level TINYINT NOT NULL,
  state TINYINT NOT NULL,
  cause TINYINT NOT NULL,
  cause_key VARCHAR(160) NOT NULL,
  -- 1 while open, NULL once resolved: at most one open escalation per subject and level, even
  -- with two sweepers at once (NULLs never collide in a unique key).
  open_slot TINYINT NULL,
  region_code VARCHAR(6) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  circular_period CHAR(7) NOT NULL DEFAULT '',
  raise_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_hash CHAR(64) NOT NULL,
  UNIQUE KEY escalations_open (subject, level, open_slot),
  -- A cause raised once at a level is never raised there again.
  UNIQUE KEY escalations_cause (subject, level, cause_key),
  KEY escalations_issue (issue_id, id),
  KEY escalations_state (state, id),
  KEY escalations_region (region_code, id),
  KEY escalations_org (org_id, id),
  KEY escalations_circular (circular_period, id)
) ENGINE=InnoDB;

CREATE TABLE obligations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  issue_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  owner_org_id VARCHAR(64) NOT NULL,
  region_code CHAR(6) NOT NULL,
  state TINYINT NOT NULL,
  due_time DATETIME(6) NOT NULL,
  met TINYINT NOT NULL,
  version BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_hash CHAR(64) NOT NULL,
  UNIQUE KEY obligations_kind (issue_id, kind),
  KEY obligations_due (met, due_time),
  KEY obligations_owner (owner_org_id, id),
  KEY obligations_region (region_code, id)
) ENGINE=InnoDB;

CREATE TABLE linkage_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  issue_id BIGINT NOT NULL,
  requesting_org_id VARCHAR(64) NOT NULL,
  target_org_id VARCHAR(64) NOT NULL,
  region_code CHAR(6) NOT NULL,
  state TINYINT NOT NULL,
  due_date DATE NOT NULL,
  -- Still owed an answer or a result (the domain's rule, written by the service).
  owed TINYINT NOT NULL,
  version BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_hash CHAR(64) NOT NULL,
  KEY linkage_issue (issue_id, id),
  KEY linkage_target (target_org_id, id),
  KEY linkage_requester (requesting_org_id, id),
  KEY linkage_due (owed, due_date)
) ENGINE=InnoDB;

CREATE TABLE meetings (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_date DATE NOT NULL,
  body LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE directives (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  owner_org_id VARCHAR(64) NOT NULL,
  issue_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  due_date DATE NOT NULL,
  open TINYINT NOT NULL,
  version BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_hash CHAR(64) NOT NULL,
  KEY directives_meeting (meeting_id, id),
  KEY directives_owner (owner_org_id, id),
  KEY directives_issue (issue_id, id),
  KEY directives_due (open, due_date)
) ENGINE=InnoDB;

-- The battle map's counts, kept by the service in the transaction of every change of a record
-- (sharded by issue so that concurrent changes do not queue on one row).
CREATE TABLE board_counts (
  region_code CHAR(6) NOT NULL,
  state TINYINT NOT NULL,
  light TINYINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (region_code, state, light, shard)
) ENGINE=InnoDB;

-- Active, unsettled records by deadline: overdue as of any day is a sum over a small range.
CREATE TABLE board_deadlines (
  deadline DATE NOT NULL,
  region_code CHAR(6) NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (deadline, region_code)
) ENGINE=InnoDB;

CREATE TABLE escalation_counts (
  region_code VARCHAR(6) NOT NULL,
  level TINYINT NOT NULL,
  shard TINYINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (region_code, level, shard)
) ENGINE=InnoDB;

CREATE TABLE sweeps (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  as_of DATETIME(6) NOT NULL,
  policy_version BIGINT NOT NULL,
  evaluated BIGINT NOT NULL,
  raised BIGINT NOT NULL,
  finish_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;
