#pragma once
// The build passes the package version; this default keeps a bare compile working.
#ifndef MIXTAPE_VERSION
#define MIXTAPE_VERSION "0.1.0"
#endif
