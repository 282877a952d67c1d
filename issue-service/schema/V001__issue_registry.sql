-- The issue registry's schema. Issues are stored as a canonical JSON body (the domain codec)
-- beside the columns that filters, scope checks and keyset pagination need.

CREATE TABLE regions (
  code CHAR(6) NOT NULL PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  level TINYINT NOT NULL,
  parent_code CHAR(6) NULL,
  KEY regions_parent (parent_code)
) ENGINE=InnoDB;

CREATE TABLE orgs (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  name VARCHAR(128) NOT NULL,
  kind TINYINT NOT NULL,
  region_code CHAR(6) NOT NULL,
  version BIGINT NOT NULL,
  update_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE inspections (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind TINYINT NOT NULL,
  body LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  KEY inspections_kind (kind, id)
) ENGINE=InnoDB;

CREATE TABLE issues (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  inspection_id BIGINT NOT NULL DEFAULT 0,
  source TINYINT NOT NULL,
  category TINYINT NOT NULL,
  rectification_class TINYINT NOT NULL,
  priority TINYINT NOT NULL,
  state TINYINT NOT NULL,
  title VARCHAR(255) NOT NULL,
  region_code CHAR(6) NOT NULL,
  lead_org_id VARCHAR(64) NOT NULL DEFAULT '',
  deadline DATE NULL,
  -- Keyset pagination needs a total order; unassigned issues (no deadline) sort last.
  deadline_key DATE AS (COALESCE(deadline, '9999-12-31')) STORED,
  progress_percent TINYINT NOT NULL DEFAULT 0,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  -- Head of the issue's history chain, so an append needs no extra read.
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_hash CHAR(64) NOT NULL,
  KEY issues_state (state, id),
  KEY issues_region (region_code, id),
  KEY issues_deadline (deadline_key, id),
  KEY issues_created (create_time, id),
  KEY issues_updated (update_time, id),
  KEY issues_lead (lead_org_id, id),
  KEY issues_inspection (inspection_id, id),
  KEY issues_category (category, id)
) ENGINE=InnoDB;

-- Every org involved in an issue, by role: scope checks and the rectifying_org filter.
CREATE TABLE issue_orgs (
  issue_id BIGINT NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  role TINYINT NOT NULL, -- 1 lead, 2 rectifying, 3 acceptance, 4 joint reviewer
  PRIMARY KEY (issue_id, org_id, role),
  KEY issue_orgs_org (org_id, role, issue_id)
) ENGINE=InnoDB;

CREATE TABLE progress_reports (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  issue_id BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  KEY progress_issue (issue_id, id)
) ENGINE=InnoDB;

-- The first answer to each request_id, replayed for repeats.
CREATE TABLE idempotency (
  operation VARCHAR(64) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  response LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (operation, request_id)
) ENGINE=InnoDB;

-- Tamper-evident history of every resource (common/history_chain).
CREATE TABLE history (
  resource VARCHAR(128) NOT NULL,
  seq BIGINT NOT NULL,
  action VARCHAR(64) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  actor_org VARCHAR(64) NOT NULL,
  occurred_at DATETIME(6) NOT NULL,
  payload LONGTEXT NOT NULL,
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL,
  PRIMARY KEY (resource, seq)
) ENGINE=InnoDB;

-- Transactional outbox served by WatchEvents (common/outbox).
CREATE TABLE outbox (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_type VARCHAR(64) NOT NULL,
  resource VARCHAR(128) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  actor_org VARCHAR(64) NOT NULL,
  payload LONGTEXT NOT NULL,
  create_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;
