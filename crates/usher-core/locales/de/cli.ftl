# Die eigenen Zeilen der Kommandozeile `usher`.
cli-error-line = usher: { $message }
cli-no-match = Kein Gast gefunden.
cli-status-head = { $event } ({ $id }) · Eingang { $gate } ({ $mode }) · Gerät { $device }
cli-status-no-event = Veranstaltung nicht in der Gästeliste
cli-status-counts = eingecheckt: { $in } / { $total }   storniert: { $cancelled }
cli-status-queue = Scans: { $scans }   warten auf Upload: { $pending }{ $oldest }   Konflikte: { $conflicts }   abgelehnt: { $rejected }
cli-status-oldest = {" "}(ältester { $age })
cli-status-cache = Gästeliste: { $age } alt
cli-status-cache-never = nie geladen
cli-status-stale = {"  "}(WARNUNG: die Gästeliste ist veraltet, bitte synchronisieren)
cli-status-paused = Uploads angehalten: { $why }
cli-status-last-error = letzter Sync-Fehler: { $error }
cli-status-warning = WARNUNG: { $warning }
cli-status-gone = { $count ->
    [one] { $count } Ticket steht nicht mehr auf der Gästeliste
   *[other] { $count } Tickets stehen nicht mehr auf der Gästeliste
  }
cli-mode-ENTRY = Einlass
cli-mode-EXIT = Ausgang
cli-exported = { $count } Scans nach { $file } geschrieben.
cli-diagnostics-saved = Diagnose gespeichert in { $folder }
cli-language-set = Die Tür spricht ab jetzt { $language }.
cli-language-os = Die Tür folgt ab jetzt der Sprache dieses Computers ({ $language }).
cli-report-saved = Schichtbericht geschrieben nach { $html } und { $csv }: { $scans } Scans, { $admits } eingelassen, { $pending } warten auf das Hochladen; { $checked }.
cli-report-checked = mit Session Services abgeglichen: { $count ->
    [one] { $count } Ticket weicht ab
   *[other] { $count } Tickets weichen ab
  }
cli-report-not-checked = nicht mit Session Services abgeglichen ({ $why })
