// The dossier verbs of `rectctl issues` (一案一档), kept apart from the ledger's for size.
#pragma once

#include "cli/rectctl/session.h"

namespace rectify::rectctl {

int UploadEvidence(Session& session, const Args& args);
int DownloadEvidence(Session& session, const Args& args);
int ListEvidence(Session& session, const Args& args);

}  // namespace rectify::rectctl
