# Die Worte der Tür: Einlass-Ergebnisse, Gründe, der letzte Scan, das Kleingedruckte,
# Bestellungen, Suche und Aktivität (look.rs in usher-core).

## Ergebnis-Überschriften.
headline-ADMIT = EINLASS
headline-ALREADY_CHECKED_IN = BEREITS DRIN
headline-CANCELLED = STORNIERT
headline-NOT_FOUND = NICHT GEFUNDEN
headline-WRONG_EVENT = FALSCHE VERANSTALTUNG
headline-NOT_FOR_THIS_GATE = NICHT FÜR DIESEN EINGANG
headline-TOO_EARLY = ZU FRÜH
headline-ENTRY_CLOSED = EINLASS BEENDET
headline-ORDER = BESTELLUNG
headline-CHECKED_OUT = AUSGECHECKT
headline-NOT_CHECKED_IN = NICHT EINGECHECKT
headline-NOT_A_TICKET_CODE = KEIN TICKET

## Gründe.
reason-empty = Es wurde nichts gescannt.
reason-too-long = Der gescannte Text ist { $bytes } Bytes lang; ein Ticketcode ist viel kürzer.
reason-no-ticket-id = Der gescannte Text enthält keine Ticket- oder Bestellnummer.
reason-not-found = { $order ->
    [yes] Diese Bestellung
   *[no] Dieses Ticket
  } { $gone ->
    [yes] { $age ->
        [none] steht nicht mehr auf der Gästeliste.
       *[other] steht nicht mehr auf der Gästeliste (vor { $age } geladen).
      }
   *[no] { $age ->
        [none] ist nicht auf der Gästeliste, die noch nie geladen wurde.
       *[other] ist nicht auf der vor { $age } geladenen Gästeliste.
      }
  }
reason-wrong-event = { $order ->
    [yes] Diese Bestellung
   *[no] Dieses Ticket
  } gilt für eine andere Veranstaltung ({ $event }).
reason-cancelled = Dieses Ticket wurde storniert.
reason-admission-not-here = Tickets „{ $admission }“ haben an { $gate } keinen Einlass.
reason-section-not-here = Bereich { $section } hat an { $gate } keinen Einlass.
reason-no-section = (keiner)
reason-already-in = Bereits eingecheckt.
reason-already-in-at = Bereits eingecheckt: { $previous }.
reason-opens = Einlass ab { $when }.
reason-closed = Einlass endete { $when }.
reason-not-checked-in = Dieses Ticket ist nicht eingecheckt.
reason-order-nothing = Bestellung mit { $tickets }: { $in } bereits drin, niemand { $exit ->
    [yes] zum Auschecken
   *[no] mehr einzulassen
  }.
reason-order-confirm = Bestellung mit { $tickets }: { $in } bereits drin. Bestätigen, um die übrigen { $admitting } einzulassen.
reason-order-acting = Bestellung mit { $tickets }: { $in } bereits drin, { $admitting } { $exit ->
    [yes] werden ausgecheckt
   *[no] werden eingelassen
  }.

## Der letzte Scan: „Eingecheckt 19:42 von Sam Lee (diese Tür)“.
prior = { $kind ->
    [out] Ausgecheckt
   *[in] Eingecheckt
  } { $time }
prior-by = von { $by }
prior-at-door = am Eingang { $door }
prior-this-door = (diese Tür)
prior-device = (Gerät { $device })
never-scanned = Noch nie gescannt
scanned = Gescannt: { $text }
cache-age = Gästeliste auf diesem Gerät ist { $age } alt

## Das Kleingedruckte.
source-WEDGE = USB-Scanner
source-MANUAL = getippt
source-CAMERA = Kamera
decided-online = vom Server bestätigt
decided-here = auf diesem Gerät entschieden
same-scan = derselbe Scan, noch einmal gezeigt
list-age = Gästeliste { $age } alt
last = Zuletzt: { $line }

## Alter: „45 s“, „12 Min.“, „3 Std. 05 Min.“, „2 Tage“.
age-seconds = { $n } s
age-minutes = { $n } Min.
age-hours = { $h } Std. { $m } Min.
age-days = { $n ->
    [one] { $n } Tag
   *[other] { $n } Tage
  }

## Eine Bestellung.
order-summary = { $tickets ->
    [one] { $tickets } Ticket
   *[other] { $tickets } Tickets
  } · { $in } bereits drin · { $confirm ->
    [yes] { $admitting } einzulassen
   *[no] { $admitting } werden eingelassen
  }
order-confirm = Rest einlassen ({ $admitting })

## Upload-Stand, wie die Aktivitätsliste ihn nennt.
upload-NONE = kein Upload nötig
upload-PENDING = wartet auf Upload
upload-ACKNOWLEDGED = hochgeladen
upload-CONFLICT = Konflikt
upload-REJECTED = abgelehnt
problem-CONFLICT = Konflikt
problem-REJECTED = Abgelehnt
action-check-in = Check-in
action-check-out = Check-out

## Abzeichen der Suche.
badge-cancelled = Storniert
badge-inside = Drin
badge-out = Ausgecheckt
badge-waiting = Noch nicht drin
no-name = (ohne Namen)

## Der Zustand der Kamera.
camera-STARTING = Kamera startet …
camera-LIVE = Kamera bereit.
camera-NO_CAMERA = Keine Kamera gefunden. Mit dem USB-Scanner scannen oder den Code eintippen.
camera-BUSY = Die Kamera wird von einem anderen Programm benutzt. Dieses schließen oder mit dem USB-Scanner scannen.
camera-PERMISSION_DENIED = Usher darf die Kamera nicht benutzen. Den Kamerazugriff in den Systemeinstellungen erlauben.
camera-UNPLUGGED = Die Kamera wurde ausgesteckt. Wieder einstecken: das Scannen geht von selbst weiter.
camera-ENDED = Keine Bilder mehr.
camera-FAILED = Die Kamera funktioniert nicht mehr ({ $why }). Neuer Versuch …

## Kiosk mode's keep-awake, as Door health says it (usher-station's awake.rs).
awake-asking = Kioskmodus: Es wird angefragt, den Bildschirm wach zu halten…
awake-held = Kioskmodus: Der Bildschirm bleibt an, solange die Tür offen ist.
awake-held-partly = Kioskmodus: Der Bildschirm bleibt an, solange die Tür offen ist (der Computer kann trotzdem in den Ruhezustand gehen: { $why }).
awake-failed = Kioskmodus: Der Bildschirm lässt sich NICHT wach halten ({ $why }). Die Bildschirmabschaltung in den Einstellungen des Computers ausschalten.

## Sätze der Türgesundheit (Status aus usher-core, Token-Zustand der Station).
clock-off = Die Uhr dieses Laptops geht { $amount } { $unit ->
    [days] Tage
    [hours] h
   *[minutes] min
} { $way ->
    [fast] vor
   *[slow] nach
}: in den Systemeinstellungen richtig stellen.
roster-shortfall = Der letzte Download hat { $shortfall } Gäste weniger erhalten, als Session Services zählt; kein Ticket wurde von der Gästeliste genommen, die nächste Aktualisierung versucht es erneut.
token-state-missing = Auf diesem Gerät gibt es kein Session-Services-Token: Scans werden nach der Gästeliste entschieden und aufbewahrt. Die Einrichtung öffnen und ein Token prüfen, um sie hochzuladen.
token-state-locked = Der Schlüsselbund ist gesperrt ({ $why }): Scans werden nach der Gästeliste entschieden und aufbewahrt. Ihn entsperren (an der Desktop-Sitzung dieses Computers anmelden), dann beginnt das Hochladen von selbst.
token-state-unavailable = Der Schlüsselbund ist nicht lesbar ({ $why }): Scans werden nach der Gästeliste entschieden und aufbewahrt. Usher fragt weiter nach; bleibt es so, die Einrichtung öffnen und das Token erneut prüfen.
encryption-on = Die Gästeliste auf diesem Laptop ist verschlüsselt; ihr Schlüssel liegt im Schlüsselbund des Betriebssystems.
encryption-off = Die Gästeliste auf diesem Laptop ist NICHT verschlüsselt ({ $why }). Die Einrichtung bei entsperrtem Schlüsselbund noch einmal durchführen, um sie zu verschlüsseln.
encryption-no-key-made = Bei der Einrichtung wurde kein Schlüssel für sie angelegt
encryption-demo = Die erfundene Gästeliste der Demo ist nicht verschlüsselt.

## Was die aufgeführten Berechtigungen eines geprüften Tokens nahelegen (Einrichtung, `usher login`).
access-scan-yes = Dieses Token kann { $event } anscheinend scannen.
access-scan-denied = Die Berechtigungen dieses Tokens verbieten das Scannen von { $event }: Check-ins werden höchstwahrscheinlich abgelehnt (403). Ein SCANNING-Token für diese Veranstaltung anfordern.
access-scan-unconfirmed = Die Scan-Berechtigung dieses Tokens für { $event } ließ sich nicht bestätigen; der erste Check-in zeigt es.
access-read-denied = Seine Berechtigungen verbieten das Lesen von Tickets: Die Gästeliste wird sich höchstwahrscheinlich nicht laden lassen.
access-read-unconfirmed = Das Lesen der Gästeliste ließ sich nicht bestätigen; der erste Download zeigt es.
access-administrator = Administrator
access-team-owner = Team-Inhaber
access-broad = Dieses Token kann viel mehr als scannen ({ $what }). Ein Tür-Laptop sollte ein Token mit dem Scope SCANNING haben: Geht dieser Laptop verloren, dann auch dieser Zugang.
access-malformed = Einige Berechtigungen ließen sich nicht lesen und wurden übergangen: { $permissions }.
access-service-token = Dieses Token gehört keiner Person (ein Dienst-Token): Scans zeigen auf dem Server keinen Namen des Personals.
