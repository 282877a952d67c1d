-- The issues each case names, as an index beside the case's body (like its subject orgs), so that
-- ListCases can find the cases of one issue (`issue = N`): an issue's dossier shows them.
CREATE TABLE case_issues (
  case_id BIGINT NOT NULL,
  issue_id BIGINT NOT NULL,
  PRIMARY KEY (case_id, issue_id),
  KEY case_issues_issue (issue_id, case_id)
) ENGINE=InnoDB;

INSERT INTO case_issues (case_id, issue_id)
SELECT DISTINCT c.id, j.issue_id
FROM cases c, JSON_TABLE(c.body, '$.issue_ids[*]' COLUMNS (issue_id BIGINT PATH '$')) AS j;
