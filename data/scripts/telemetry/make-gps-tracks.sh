#!/usr/bin/env bash
# Makes data/samples/telemetry/gps-tracks.csv: three vehicle tracks between the 12 real Irish
# weather stations of Debian's r-cran-gstat `wind.rda` (`wind.loc`, GPL-2+; Haslett and Raftery
# 1989). Only the station coordinates are real: the routes, departure times, leg speeds and every
# position between two stations are ours (great-circle interpolation at a constant speed per leg,
# a 10-minute stop at each station, one fix every 60 s). Needs apt-get, dpkg and Rscript.
set -euo pipefail
out="$(cd "$(dirname "$0")/../../samples/telemetry" && pwd)/gps-tracks.csv"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download r-cran-gstat >/dev/null 2>&1 && dpkg -x r-cran-gstat_*.deb x)
Rscript - "$tmp/x/usr/lib/R/site-library/gstat/data/wind.rda" "$out" <<'R'
args <- commandArgs(trailingOnly = TRUE)
load(args[1])
# "51d56'N", "52d16'56.791\"N" -> decimal degrees (W and S negative).
dms <- function(s) {
  p <- as.numeric(strsplit(gsub("[^0-9.]+", " ", s), " ")[[1]])
  p <- c(p[!is.na(p)], 0, 0)[1:3]
  (p[1] + p[2] / 60 + p[3] / 3600) * ifelse(grepl("[SW]", s), -1, 1)
}
st <- data.frame(code = as.character(wind.loc$Code),
                 lat = sapply(as.character(wind.loc$Latitude), dms),
                 lon = sapply(as.character(wind.loc$Longitude), dms))
rownames(st) <- st$code
R0 <- 6371008.8
rad <- pi / 180
unitv <- function(lat, lon) c(cos(lat * rad) * cos(lon * rad), cos(lat * rad) * sin(lon * rad), sin(lat * rad))
# Great-circle interpolation (slerp) from a to b at fraction f.
slerp <- function(a, b, f) {
  w <- acos(min(1, sum(a * b)))
  v <- (sin((1 - f) * w) * a + sin(f * w) * b) / sin(w)
  c(asin(v[3]) / rad, atan2(v[2], v[1]) / rad)
}
routes <- list(
  list(id = "van-west", start = "1978-01-02 07:30:00", stops = c("VAL", "SHA", "CLA", "BEL"), kmh = c(70, 90, 60)),
  list(id = "van-east", start = "1978-01-02 08:00:00", stops = c("DUB", "MUL", "BIR", "KIL", "ROS"), kmh = c(100, 80, 70, 90)),
  list(id = "van-north", start = "1978-01-02 08:15:00", stops = c("MUL", "CLO", "MAL"), kmh = c(80, 65)))
step <- 60; dwell <- 600
rows <- list()
for (r in routes) {
  t0 <- as.numeric(as.POSIXct(r$start, tz = "UTC"))
  # Piecewise schedule: (time, station-from, station-to, fraction 0..1) segments.
  seg <- data.frame(); t <- t0
  for (i in seq_along(r$stops)) {
    seg <- rbind(seg, data.frame(t0 = t, t1 = t + dwell, from = r$stops[i], to = r$stops[i], kmh = 0))
    t <- t + dwell
    if (i < length(r$stops)) {
      a <- unitv(st[r$stops[i], "lat"], st[r$stops[i], "lon"])
      b <- unitv(st[r$stops[i + 1], "lat"], st[r$stops[i + 1], "lon"])
      d <- R0 * acos(min(1, sum(a * b)))
      dur <- d / (r$kmh[i] / 3.6)
      seg <- rbind(seg, data.frame(t0 = t, t1 = t + dur, from = r$stops[i], to = r$stops[i + 1], kmh = r$kmh[i]))
      t <- t + dur
    }
  }
  for (ts in seq(t0, max(seg$t1), by = step)) {
    s <- seg[max(which(seg$t0 <= ts)), ]
    if (s$from == s$to) {
      p <- c(st[s$from, "lat"], st[s$from, "lon"])
    } else {
      p <- slerp(unitv(st[s$from, "lat"], st[s$from, "lon"]), unitv(st[s$to, "lat"], st[s$to, "lon"]),
                 min(1, (ts - s$t0) / (s$t1 - s$t0)))
    }
    rows[[length(rows) + 1]] <- data.frame(
      device_id = r$id,
      timestamp = format(as.POSIXct(ts, origin = "1970-01-01", tz = "UTC"), "%Y-%m-%dT%H:%M:%SZ"),
      lat = sprintf("%.6f", p[1]), lon = sprintf("%.6f", p[2]),
      leg_kmh = s$kmh, next_station = s$to)
  }
}
d <- do.call(rbind, rows)
write.csv(d, args[2], row.names = FALSE, quote = FALSE)
cat(sprintf("wrote %s (%d rows)\n", args[2], nrow(d)))
R
