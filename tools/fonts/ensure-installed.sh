#!/usr/bin/env bash
# The evidence pack's PDF font: DejaVu Sans from Debian's fonts-dejavu-core, which the build embeds in DataRights.Host
# (functions/DataRights.Host/DataRights.Host.csproj), so the PDF needs no fonts where it runs. Installs it when missing.
set -euo pipefail
if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] \
  && [ -f /usr/share/doc/fonts-dejavu-core/copyright ]; then
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
echo "Installing fonts-dejavu-core (the evidence pack's PDF font, embedded at build time)..."
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null
