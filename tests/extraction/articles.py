"""Small hand-written articles about an invented town, one for each kind of claim and contradiction."""

import datetime

from app.extraction.types import Document

COUNCIL_REPORT = Document(
    source_id=0,
    published_at=datetime.date(2031, 5, 9),
    text=(
        "Norbridge council backs bridge plan\n\n"
        "Anna Feld\n"
        "9 May 2031\n\n"
        "The Norbridge council approved a budget of $3.2 million for the Elm Street bridge on Tuesday. "
        "Mayor Alma Ruiz met Governor Tom Becker in Carlow on 4 May to discuss the flood defences.\n\n"
        "What happens next?\n\n"
        "“We will not raise local taxes this year,” Mayor Ruiz told reporters at the town hall. "
        "The harbour company Veltro agreed to sell its northern terminal to the city. "
        "Police arrested the former treasurer Ivo Marek over missing funds, a police spokesman said. "
        "It is a pleasant town and the weather may improve."
    ),
)
RIVAL_PAPER = Document(
    source_id=1,
    text=(
        "The Norbridge council approved a $4.5 million budget for the Elm Street bridge, the town said. "
        "Mayor Alma Ruis met Governor Becker in Carlow on 6 May to discuss the flood defences. "
        "Veltro rejected the city's offer to buy the northern terminal of the harbour company."
    ),
)
RADIO_NOTE = Document(
    source_id=2,
    text=(
        "A police spokesman denied that the former treasurer Ivo Marek had been arrested over missing funds: "
        "“The report is false.” "
        "Mayor Alma Ruiz said she would not raise local taxes this year. "
        "Farmers near Carlow expect a good harvest of barley this summer, the growers' union said."
    ),
)
ARTICLES = [COUNCIL_REPORT, RIVAL_PAPER, RADIO_NOTE]
