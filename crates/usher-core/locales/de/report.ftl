# Der Schichtbericht. Die CSV-Spalten section und item bleiben in jeder Sprache dieselben
# Namen; label und detail sind in der Sprache des Berichts.
report-title = Schichtbericht: { $event }
report-meta = Veranstaltung { $event } · Eingang { $gate } · Gerät { $device } · Zeiten in { $zone } · erstellt { $made }.
report-span = Scans von { $from } bis { $to }.
report-no-scans = Noch keine Scans.
report-this-door = Dieser Eingang jetzt
report-this-door-note = So, wie usher status sie zählt.
report-all-doors = Alle Eingänge
report-all-doors-note = Jeder Eingang und jedes Gerät im Scan-Protokoll.
report-door-heading = { $gate } · Gerät { $device } ({ $mode })
report-mode-ENTRY = Einlass
report-mode-EXIT = Ausgang
report-arrivals = Ankünfte je 5 Minuten
report-arrivals-table = Ankünfte je 5 Minuten, als Tabelle
report-arrivals-axis = Ankünfte
report-problems = Konflikte und Ablehnungen
report-none = Keine.
report-problem-head = Ticket oder Bestellung
report-reconciliation = Abgleich mit Session Services
report-reconciled = { $tickets ->
    [one] { $tickets } Ticket, das dieses Gerät ein- oder ausgecheckt hat, wurde mit dem aktuellen Stand von Session Services abgeglichen: { $agree } stimmen überein, { $differ } weichen ab.
   *[other] { $tickets } Tickets, die dieses Gerät ein- oder ausgecheckt hat, wurden mit dem aktuellen Stand von Session Services abgeglichen: { $agree } stimmen überein, { $differ } weichen ab.
  }
report-not-reconciled = Nicht abgeglichen: { $why }. Die { $tickets } Tickets, die dieses Gerät ein- oder ausgecheckt hat, konnten nicht mit Session Services abgeglichen werden; alles andere in diesem Bericht stammt aus dem Scan-Protokoll dieses Laptops.
report-not-reconciled-unknown = unbekannt
report-difference-head = Abweichung
report-difference = Dieser Eingang: { $door }. Session Services: { $server }.
report-limits = Die Zahlen stammen aus dem Scan-Protokoll dieses Laptops: jeder Scan, den er gemacht hat, unter jedem Eingangsprofil, das er hatte. Scans anderer Laptops stehen nicht darin: sie erscheinen nur, wo Session Services sie genannt hat, als erster Scan eines Konflikts und im Abgleich.

report-status-scans = Scans im Protokoll
report-status-checked_in = Jetzt drin
report-status-total = Tickets mit Einlass
report-status-pending_upload = Warten auf Upload
report-status-conflicts = Konflikte
report-status-rejected = Von Session Services abgelehnt
report-status-cancelled = Stornierte Tickets
report-tally-scans = Scans
report-tally-admits = Eingelassen
report-tally-re_entries = davon Wiedereinlass
report-tally-exits = Ausgänge
report-tally-refused = Abgewiesen
report-tally-conflicts = Konflikte
report-tally-rejected = Von Session Services abgelehnt
report-tally-pending = Warten auf Upload
report-refused-because = Abgewiesen: { $reason }

report-problem-CONFLICT = Konflikt um { $at }
report-problem-REJECTED = Abgelehnt um { $at }
report-problem-guest = { $problem }: { $guest }
report-first-scanned = zuerst gescannt
report-first-by = von { $who }
report-first-at = um { $at }
report-first-device = auf Gerät { $device }
report-rejected-default = von Session Services abgelehnt

report-door-scan = hier { $action } um { $at } (Scan { $seq }, { $upload })
report-action-CHECK_IN = eingecheckt
report-action-CHECK_OUT = ausgecheckt
report-state-ACTIVE = nicht drin (ACTIVE)
report-state-REDEEMED = drin (REDEEMED)
report-state-CANCELLED = storniert
report-server-last-scan = { $state } seit dem letzten Scan: { $action } um { $at }
report-server-by = von { $who }
report-server-device = (Gerät { $device })
report-server-no-scan = { $state }, ohne Scan
report-server-not-asked = zu diesem Ticket nicht gefragt
report-server-not-found = Session Services kennt dieses Ticket nicht
report-missing-door = Scan { $seq } wurde als { $id } bestätigt
report-missing-server = kein solcher Scan in seinem Verlauf; { $server }
report-offline = dieser Eingang arbeitet absichtlich offline

## Das Schreiben des Berichts.
report-not-html = { $path } endet auf .csv: dem Bericht einen .html-Namen geben (seine CSV wird daneben geschrieben)
report-csv-write = Die CSV kann nicht geschrieben werden: { $why }
