# Prints each failed test of a TRX report (Visual Studio test results) with the first lines of its error message:
#   awk -f tools/ci/trx-failures.awk results.trx
function unescape(text) {
  gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&quot;/, "\"", text); gsub(/&apos;/, "'", text)
  gsub(/&#xD;/, "", text); gsub(/&#xA;/, "", text); gsub(/&amp;/, "\\&", text)
  return text
}
/<UnitTestResult / && /outcome="Failed"/ {
  name = $0; sub(/.* testName="/, "", name); sub(/".*/, "", name)
  print "  " unescape(name)
  failing = 1; shown = 0
}
failing && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
failing && inMessage {
  line = $0; done = sub(/<\/Message>.*/, "", line)
  if (shown < 6 && line != "") { print "      " unescape(line); shown++ }
  if (done) { inMessage = 0 }
}
/<\/UnitTestResult>/ { failing = 0; inMessage = 0 }
