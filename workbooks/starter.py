"""A commented case file to start a new case from (``sibc ny``).

The text explains each field in Danish comments beside a working example: one
effect on a catalogue unit price, two cost lines and a linear outcome payment.
It is valid as it stands (``sibc calc`` runs it) and every number in it is an
assumption the user replaces; the unit prices are the catalogue's.
"""

from __future__ import annotations

import json

STARTER = """\
# Ny business case: {navn}
# Udfyld felterne nedenfor. Alle tal her er ANTAGELSER til at starte fra, ikke fakta:
# erstat dem med jeres egne og skriv kilden i 'kilde'. Tal skrives med punktum som
# decimaltegn i denne fil (0.35), andele som 0-1 (0.35 = 35 %), beløb i kr. uden
# tusindtalsskilletegn (150000).
# Beregn:        sibc calc {fil}
# Byg regneark:  sibc build {fil} -o {navn}.xlsx --overwrite
# Se katalogets enhedspriser (id'er til 'enhedspris'):  sibc catalogue

navn: {titel}                      # casens navn (vises i regnearkets sidehoved)
beskrivelse: Hvad indsatsen gør, for hvem og hvorfor.
kilde: Egne antagelser; enhedspriser fra projektets katalog
maalgruppe: Fx borgere 30+ på kontanthjælp i mere end et år

prisaar: 2023                 # prisniveau for alle beløb (katalogets priser omregnes hertil)
startaar: {startaar}                # kalenderår for år 0
horisont: 10                  # antal år i beregningen (1-30)
diskontering: fm_2021         # Finansministeriets diskonteringsrente (eller en fast rente, fx 0.035)
betaler: kommune              # hvem der betaler resultatbetalingerne: kommune, region eller stat
visning: kommune              # nøgletal set fra kommunen (kommune) eller hele den offentlige sektor (offentlig)
forloebsaar: 1                # år fra start til afslutning af forløbet

deltagere: [30, 30, 30]       # antal deltagere, der starter i år 0, 1, 2, ...

indsats:                      # indsatsens omkostninger pr. år (kr.), én linje pr. post
  - navn: Indsatsens drift
    betaler: investor         # kommune, region, stat eller investor (som forudfinansierer)
    type: drift               # opstart eller drift
    pr_aar: [900000, 900000, 900000]
  - navn: Kommunens koordinering
    betaler: kommune
    type: drift
    pr_aar: [100000, 100000, 100000]

optimisme:                    # tillæg for optimisme (som i statens business case-model)
  omkostninger: 0.1           # +10 % på kommunens, regionens og statens omkostninger (ikke investors)
  gevinster: 0.0              # -0 % på gevinsterne

effekter:                     # én pr. effekt; i regnearket effekt 1, 2, ...
  - id: job                   # kort id: små bogstaver, tal og _
    navn: Færre uger på kontanthjælp
    enhedspris: kontanthjaelp_30plus_ikke_forsoerger_uge   # id fra 'sibc catalogue' eller fra egne_priser
    # (kontanthjælp efter reglerne før 1.7.2025: satserne for den nye kontanthjælp findes ikke i kataloget;
    #  starter casen senere, så læg den nye sats ind som egen pris under egne_priser, med kilde)
    profil: [-26, -30, -30, -26, -20]  # ændring i antal enheder (her uger) pr. succesfuld deltager i år 1, 2, ... efter forløbet
    succesrate: 0.35          # andel af deltagerne, der lykkes (0-1)
    doedvaegt: 0.15           # andel, der ville lykkes uden indsatsen (eller brug kontrolgruppe: 0.15)
    frafald: 0.1              # andel af effekten, der falder bort pr. år efter første år

betalingsmodel:               # resultatbetaling (kan slettes sammen med 'maaling' for en case uden betalinger)
  resultatmaal:
    - id: job
      navn: Borgere i job (mereffekt)
      enhed: personer
      datakilde: Kommunens ydelsesdata og eIndkomst
      maaletidspunkt: Ved udgangen af år 4
      aar: 4                  # år, betalingen falder i
      regel:
        type: lineaer         # betaling stiger lineært fra tærskel til mål
        taerskel: 8           # under dette antal betales intet
        maal: 18              # ved målet betales betaling_ved_maal
        betaling_ved_maal: 3600000
        loft: 4000000         # højst dette beløb

maaling:                      # hvordan resultatmålet måles i beregningen
  job:
    effekt: job               # id på effekten ovenfor
    maal: antal               # antal = deltagere × nettosuccesrate
"""


def starter_case(name: str, start_year: int) -> str:
    """The commented starting case file for a case called ``name`` (its file name without ending)."""
    title = json.dumps(name.replace("_", " ").strip().capitalize() or "Ny case", ensure_ascii=False)
    return STARTER.format(navn=name, fil=f"{name}.yaml", titel=title, startaar=start_year)
