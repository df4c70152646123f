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
cli-setup = Gerät { $device } eingerichtet
    {"  "}API:        { $api }
    {"  "}Mandant:    { $tenant }
    {"  "}Veranstaltung: { $event }
    {"  "}Eingang:    { $gate } ({ $mode })
    {"  "}Einlässe:   { $admissions }
    {"  "}Bereiche:   { $sections }
    {"  "}Online-Bestätigung: { $offline ->
        [yes] aus (offline erzwungen)
       *[no] an
    }
cli-setup-all = alle
cli-imported = { $name } ({ $event }) importiert: { $tickets } Tickets, { $admissions } Einlässe, { $sections } Bereiche.
cli-service-token = ein Dienst-Token
cli-logged-in = Angemeldet als { $who } für den Mandanten { $tenant } auf { $api }. Das Token liegt im Schlüsselbund des Betriebssystems.
cli-warning = Warnung: { $warning }
cli-forgot-nothing = Auf diesem Laptop waren keine Daten einer Veranstaltung.
cli-forgot = Veranstaltung { $event } vergessen: { $tickets } Tickets und { $scans } Scans von diesem Laptop entfernt.
cli-logged-out = { $removed ->
    [yes] Das Token wurde aus dem Schlüsselbund entfernt.
   *[no] Im Schlüsselbund war kein Token.
} Das Scan-Protokoll bleibt: { $pending } Scans werden nach der nächsten Anmeldung hochgeladen.
cli-events-this-device = {"  "}(dieses Gerät)
cli-synced-guest-list = Gästeliste: { $tickets } Tickets auf { $pages } Seiten ({ $walks } Durchläufe{ $resumed ->
    [yes] , fortgesetzt
   *[no] {""}
}).
cli-synced-uploads = Hochladen: { $acknowledged } bestätigt, { $conflicts } Konflikte, { $rejected } abgelehnt, { $waiting } warten noch.
cli-synced-paused = Hochladen angehalten: { $why }
cli-refreshed = Gästeliste aktualisiert: { $tickets } Tickets.
cli-refunded = Erstattungen: { $cancelled } weitere Tickets storniert.
cli-sync-failed = Abgleich fehlgeschlagen: { $message } (nächster Versuch in { $seconds } s)
cli-roster-short = Warnung: Session Services zählt { $expected } Gäste, hat aber { $received } geschickt ({ $missing } fehlen); kein Ticket wurde von der Gästeliste genommen.
cli-demo-folder = Datenordner der Demo: { $folder }
cli-token-prompt = Session-Services-Token:{" "}

## usher peers: Türen, die einander sehen.
cli-peers-group = In Türgruppe { $hint } (der Hinweis der Gruppe; ihr Schlüssel bleibt im Schlüsselbund).
cli-peers-no-group = In keiner Türgruppe: hier `usher peers create`, oder `usher peers join CODE --at HOST:PORT`.
cli-peers-made = Türgruppe { $hint } bereit: Ihr Schlüssel ist im Schlüsselbund. Andere Türen treten mit `usher peers serve --invite` hier bei.
cli-peers-left = Türgruppe verlassen: Ihr Schlüssel ist aus dem Schlüsselbund entfernt. Von anderen Türen gehörte Scans bleiben.
cli-peers-list = Türen, die per Adresse abgefragt werden: { $doors }
cli-peers-list-empty = keine (nur mDNS)
cli-peers-heard = Von { $gate } ({ $device }) gehört: { $scans } Scans
cli-peers-joined = Der Türgruppe von { $door } beigetreten: eingerichtet für Veranstaltung { $event } am Eingang { $gate }; Token übergeben: { $token }.
cli-peers-serving = Scans mit den Türen der Gruppe austauschen auf { $address } (Strg-C beendet).
cli-peers-invite = Beitrittscode { $code } ({ $minutes } Min. gültig): an der neuen Tür `usher peers join { $code } --at DIESE-TÜR:{ $port }`.
cli-peers-link = { $door } ({ $address }): { $state }, { $received } Scans empfangen
cli-peers-linked = { $doors ->
    [one] 1 Tür verbunden
   *[other] { $doors } Türen verbunden
  }
cli-link-connecting = verbindet
cli-link-linked = verbunden
cli-link-unreachable = nicht erreichbar
cli-link-not-in-group = nicht aus dieser Gruppe
cli-link-myself = diese Tür
