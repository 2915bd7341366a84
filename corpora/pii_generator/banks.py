"""Hand-written banks for the personal-data corpus: British and Welsh names and places,
schools, and the look-alikes that are not personal data.

Every value here is invented or generic; the phone numbers come from Ofcom's ranges
reserved for drama, the NHS numbers from the 999 test range.
"""

WELSH_FIRST = """Aled Alaw Aneurin Angharad Anwen Arwel Awen Bethan Bleddyn Branwen Bryn Caradog Carys Catrin
Cerys Cai Cadi Celyn Dafydd Deiniol Delyth Dewi Dylan Efa Eirian Eirlys Elin Eluned Emrys Ffion Fflur
Garmon Geraint Glesni Glyn Gruffydd Gwen Gwenllian Gwilym Gwion Gwyneth Hafwen Huw Hywel Idris Ieuan
Ifan Iolo Iwan Lowri Llinos Llŷr Lleucu Mabli Mali Manon Meinir Meirion Mererid Morfudd Myfanwy Nia
Nerys Non Osian Owain Peredur Rhiannon Rhian Rhodri Rhun Rhys Seren Siân Siôn Sioned Steffan Taliesin
Tegan Tegwen Teleri Trefor Tudur Wyn Ynyr Elis Macsen Twm Nel Eben Guto Anest Heledd Gethin Gareth
Ceri Dwynwen Elgan Iestyn Meleri Morgan Nansi Olwen Tirion""".split()

WELSH_SURNAMES = """Jones Williams Davies Evans Thomas Roberts Hughes Lewis Morgan Griffiths Owen Price Pritchard Rees
Powell Howells Bevan Pugh Parry Vaughan Llewellyn Prosser Probert Pryce Bowen Gwyn Meredith Jenkins
Watkins Phillips Harries Rowlands Edwards Ellis Hopkins Lloyd Gruffydd Rhys Tudor Maddox Prydderch
Glyn Llwyd Huws Ifans Prys Cadwaladr Gwilym Beynon Bellis Gittins Jarman Mostyn Nash Onions Parri
Treharne Voyle Wynne Gethin Dafis Pennant Bowden Morris""".split()

BRITISH_FIRST = """Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Evie Poppy Ella Daisy
Sienna Phoebe Ruby Harper Millie Florence Maisie Layla Chloe Erin Leah Jasmine Paige Courtney Chelsea
Shannon Jade Kayleigh Stacey Danielle Gemma Kelly Leanne Natalie Nicola Joanne Donna Tracey Claire
Sharon Michelle Zoe Aimee Demi Tia Lacey Skye Mollie Amber Keira Macy Noah Oliver George Arthur Leo
Harry Oscar Archie Henry Theo Freddie Jack Charlie Tommy Alfie Jacob Mason Riley Kai Tyler Brandon
Kyle Jordan Callum Connor Liam Ryan Lewis Jamie Dean Wayne Craig Lee Darren Shane Ashley Jason Daniel
Nathan Aaron Kieran Reece Bradley Jayden Kayden Logan Finley Harley Ollie Alfie-Ray Lexi-Mae Amelia-Rose
Mohammed Muhammad Aisha Fatima Zainab Yusuf Ibrahim Amir Hamza Maryam Priya Arjun Ravi Anjali Deepak
Sunita Tomasz Oliwia Zuzanna Jakub Andrei Ioana Bogdan Chidi Adaeze Tunde Kemi Kwame Ama Abdi
Hodan Ayaan Eilidh Siobhan Ciaran Niamh Declan Aoife Roisin Ruairi Shauna""".split()

BRITISH_SURNAMES = """Smith Brown Taylor Wilson Johnson Walker Wright Robinson Thompson White Hall Green Wood Harris
Martin Jackson Clarke Clark Turner Hill Scott Cooper Ward Moore King Watson Baker Harrison Young
Allen Mitchell Anderson Bell Kelly Cook Carter Shaw Murphy Bailey Richardson Collins Cox Marshall
Simpson Ellis Chapman Webb Hunt Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker
Fisher Stevens Jenkins Dixon Fletcher Grant Pearson Lawrence Atkinson Heywood Sutcliffe Ackroyd
Whitehead Broadbent Haigh Oldroyd Pickering Dobson Metcalfe Greenwood Lister Hirst Dawson Firth
Cartwright Ramsbottom Holt Ashworth Brierley Kershaw Entwistle Hargreaves O'Brien O'Neill McDonald
McCarthy MacLeod Fitzgerald Kowalski Nowak Wiśniewska Popescu Khan Ahmed Hussain Begum Patel Shah
Akhtar Iqbal Chaudhry Okafor Adeyemi Mensah Osei Mohamed Warsame Farah Abdullah Smith-Jones
Taylor-Price Harper-Lee Mullins Quinn Doherty Nolan Gallagher Hamilton Stewart Fraser Douglas""".split()

WELSH_TOWNS = """Cardiff Caerdydd Swansea Abertawe Newport Wrexham Bangor Aberystwyth Carmarthen Llanelli Pontypridd
Merthyr Caerphilly Bridgend Rhyl Prestatyn Llandudno Conwy Caernarfon Porthmadog Pwllheli Dolgellau
Machynlleth Aberdare Treorchy Tonypandy Porth Blackwood Tredegar Abergavenny Monmouth Cwmbran
Pontypool Neath Ammanford Haverfordwest Cardigan Lampeter Llangefni Holyhead Mold Flint Denbigh Ruthin
Llangollen Bala Brecon Barry Penarth Maesteg Ystradgynlais Llanidloes Bargoed Caerfyrddin Wrecsam""".split() + [
    "Merthyr Tydfil", "Port Talbot", "Ebbw Vale", "Pembroke Dock", "Llandrindod Wells", "Builth Wells",
    "Ystrad Mynach", "Pen-y-bont ar Ogwr", "Blaenau Ffestiniog", "Connah's Quay", "Y Drenewydd",
]
ENGLISH_TOWNS = """Leeds Bradford Sheffield Doncaster Rotherham Wakefield Hull Middlesbrough Sunderland Gateshead Stockport
Oldham Rochdale Bolton Wigan Salford Preston Blackburn Burnley Derby Nottingham Leicester Coventry
Wolverhampton Walsall Dudley Birmingham Bristol Plymouth Exeter Swindon Reading Luton Peterborough
Norwich Ipswich Croydon Lewisham Enfield Hounslow Medway Brighton Portsmouth Southampton Bournemouth
Gloucester Hereford Shrewsbury Telford Carlisle Blackpool Lancaster Harrogate York Scarborough Lincoln
Grimsby Halifax Huddersfield Keighley Barnsley Chesterfield Mansfield Redditch Kidderminster""".split() + [
    "Stoke-on-Trent", "Southend-on-Sea", "Barrow-in-Furness", "Milton Keynes", "Kingston upon Hull",
    "Newcastle upon Tyne", "West Bromwich", "Sutton Coldfield",
]

STREET_STEMS = """High Church Station Mill Victoria Albert Queen King Park Chapel Manor Green Springfield Oak Elm
Beech Ash Willow Cedar Hawthorn Orchard Meadow Brook Grange Windsor York Clarence Alexandra Cromwell
Nelson Wellington Shakespeare Tennyson Ruskin Coronation Jubilee Hillside Riverside Woodland Ferndale
Heather Bramble Foxglove Primrose Bluebell Lavender Sycamore Rowan Holly Laburnum Poplar Larch Cherry
Birch Hazel Maple Chestnut Kingfisher Heron Lapwing Mulberry Farm Bridge Market Commercial Bute
Dunraven Tudor Glebe Vicarage Rectory School Castle Canal Quarry Colliery Pit Tram Railway Ellison
Thornbury Ashfield Broadway Moorland Greenacre Sandringham Balmoral Marlborough Stanley Salisbury""".split()
STREET_TYPES = """Road Street Avenue Lane Close Drive Way Crescent Court Gardens Grove Place Terrace Rise View Walk
Square Mews Row Parade Hill Park Vale Croft""".split()
WELSH_STREETS = [
    "Heol y Wern", "Heol Fawr", "Heol Las", "Heol y Parc", "Heol yr Ysgol", "Heol Llanishen Fach",
    "Heol Hir", "Heol y Felin", "Heol Gwyrosydd", "Heol Caradog", "Stryd Fawr", "Stryd y Castell",
    "Stryd Fictoria", "Ffordd Penrhos", "Ffordd y Gogledd", "Ffordd Las", "Ffordd Cynan", "Lôn Las",
    "Lôn Celyn", "Lôn y Bryn", "Lôn Eithin", "Maes y Coed", "Maes yr Haf", "Maes Glas", "Maes y Dderwen",
    "Maes Gwyn", "Bryn Awel", "Bryn Eithin", "Bryn Celyn", "Bryn Hyfryd", "Cae Glas", "Cae'r Gof",
    "Cae Mawr", "Clos y Nant", "Clos Cefni", "Clos Glanlais", "Rhodfa'r Gamlas", "Llys Derwen",
    "Llys y Coed", "Cwrt y Felin", "Parc Hafod", "Pen y Bryn", "Pen y Dre", "Tan y Bryn", "Ty'n y Coed",
    "Cilgant y Lli", "Rhes Newydd", "Stryd Penlan", "Heol Pant y Celyn", "Ffordd Pen Llech",
]
SCHOOL_STEMS = """Oakfield Greenhill Westfield Hillside Parkside Meadowbank Brookfield Fairfield Highfield Millbrook
Whitchurch Llanishen Cathays Thornhill Ashgrove Beaumont Castle Kingswood Moorland Riverside Eastbrook
Springwood Birchgrove Coed Glas Rhydypenau Marlborough Lakeside Radyr Pentrebane Willowbrook Hollybush
Fernhill Bishopston Penyrheol Trelai Cwmaber Gellideg Heolddu Trinity Ladybarn Hathershaw Moorside
Crossflatts Harehills Beeston Bramley Seacroft""".split()
SAINTS = "Mary's Joseph's Peter's Paul's David's Teilo's Illtyd's Cadoc's Patrick's Bernadette's John's Anne's Woolos".split()
WELSH_SCHOOL_NAMES = [
    "Ysgol Glan Morfa", "Ysgol Pen y Garth", "Ysgol Treganna", "Ysgol Melin Gruffydd", "Ysgol Bro Edern",
    "Ysgol Glantaf", "Ysgol y Wern", "Ysgol Pencae", "Ysgol Coed y Gof", "Ysgol Nant Caerau",
    "Ysgol Bro Myrddin", "Ysgol Gwynllyw", "Ysgol Cwm Rhymni", "Ysgol Llanhari", "Ysgol Plasmawr",
    "Ysgol Maes Garmon", "Ysgol Morgan Llwyd", "Ysgol Tryfan", "Ysgol Syr Thomas Jones", "Ysgol Bro Teifi",
    "Ysgol Penweddig", "Ysgol Gynradd Gymraeg Bronllwyn", "Ysgol Gymraeg Pwll Coch", "Ysgol Gynradd Llanfair",
    "Ysgol Uwchradd Bodedern", "Ysgol y Castell", "Ysgol Bro Dinefwr", "Ysgol Gyfun Gŵyr", "Ysgol Gymraeg Aberdâr",
    "Ysgol yr Hendre", "Ysgol Santes Tudful", "Ysgol Gymraeg Casnewydd", "Ysgol Bryn Tawe", "Ysgol Dewi Sant",
    "Cylch Meithrin Treganna", "Cylch Meithrin Y Wern", "Cylch Meithrin Bro Ogwr", "Meithrinfa Seren Fach",
    # schools and nurseries named after people ("Ysgol Hywel Dda"): a name inside a school's is no person
    "Meithrinfa Tedi Bach", "Meithrinfa Cwtsh Clyd", "Meithrinfa Plant Bach", "Meithrinfa Enfys", "Meithrinfa Hafan Deg",
    "Cylch Meithrin Sêr Bach", "Ysgol Owain Glyndŵr", "Ysgol Hywel Dda", "Ysgol Santes Dwynwen", "Ysgol Gwenllian",
    "Ysgol Gymraeg Nant Talwg", "Ysgol Feithrin Pen y Groes", "Ysgol Bro Alaw", "Ysgol Rhys Prichard",
]
SCHOOL_PATTERNS = [
    "{stem} Primary School", "{stem} Primary", "{stem} Infant School", "{stem} Junior School",
    "{stem} Academy", "{stem} High School", "{stem} High", "{stem} Community School",
    "{stem} C of E Primary", "St {saint} RC Primary School", "St {saint} Catholic High School",
    "St {saint} Church in Wales Primary", "{stem} Nursery", "Little {stem} Nursery", "{stem} Pre-School",
    "{stem} Comprehensive", "{town} High School", "{stem} Primary Academy", "{stem} Nursery School",
    "{stem} Children's Nursery", "St. {saint} Primary", "{stem} Special School", "{stem} Pupil Referral Unit",
]

TITLES = ["Mr", "Mrs", "Ms", "Miss", "Mr.", "Mrs.", "Dr"]
ROLES = [
    "Mum", "mum", "Dad", "dad", "Mam", "mother", "father", "MGM", "PGM", "MGF", "Nain", "Taid",
    "maternal grandmother", "paternal grandfather", "Step-dad", "stepfather", "Aunt", "maternal aunt",
    "foster carer", "Foster Carer", "the HV", "Health Visitor", "Team Manager", "the IRO", "Head Teacher",
    "the DSL", "Class Teacher", "support worker", "the midwife", "the GP", "Senior Practitioner",
    "Mum's partner", "older sibling", "the baby", "Grandma", "Gran", "Uncle", "Nanna",
]
AGENCIES = [
    "CAMHS", "MASH", "Flying Start", "Women's Aid", "Families First", "Team Around the Family", "NSPCC",
    "Barnardo's", "Action for Children", "Home-Start", "Citizens Advice", "Shelter Cymru", "Llamau",
    "Cyfannol Women's Aid", "Calan DVS", "the Probation Service", "the Youth Justice Service",
    "South Wales Police", "Gwent Police", "West Yorkshire Police", "North Wales Police", "the Early Help Hub",
    "Sure Start", "Turning Point", "Change Grow Live", "Dyfodol", "Kaleidoscope", "Inroads", "IFSS",
    "the IAA team", "Jobcentre Plus", "the DWP", "Universal Credit", "Housing Options", "the Children's Centre",
    "the Family Centre", "Midwifery", "School Nursing", "Educational Psychology", "MARAC", "MAPPA", "Cafcass",
    "Cafcass Cymru", "the Edge of Care Team", "the Fostering Team", "the Kinship Care Team", "Step Change",
    "the Food Bank", "Adult Mental Health", "the Community Mental Health Team", "Incredible Years",
    "Triple P", "the Freedom Programme", "Safer Wales", "Victim Support", "St Giles Trust", "the Red Cross",
]
HOSPITALS = [
    "University Hospital of Wales", "the Royal Glamorgan Hospital", "Prince Charles Hospital",
    "Morriston Hospital", "Singleton Hospital", "Glangwili Hospital", "Withybush Hospital",
    "Bronglais Hospital", "Ysbyty Gwynedd", "Ysbyty Glan Clwyd", "Wrexham Maelor", "the Grange University Hospital",
    "the Royal Gwent", "Nevill Hall", "the Princess of Wales Hospital", "Leeds General Infirmary",
    "St James's Hospital", "Sheffield Children's Hospital", "Alder Hey", "the Royal Manchester Children's Hospital",
    "Birmingham Children's Hospital", "Great Ormond Street", "the Royal Stoke", "Queen's Medical Centre",
    "the Noah's Ark Children's Hospital", "St Mary's Hospital", "St David's Hospital", "the Heath",
]
COUNCILS = [
    "Cardiff Council", "Rhondda Cynon Taf", "Leeds City Council", "Cardiff Family Court", "the Swansea Civil Justice Centre",
    "Newport Magistrates' Court", "Children's Services", "Social Services", "the Duty and Assessment Team",
    "the CIN Team", "the Safeguarding Hub", "Bradford Children's Social Care", "Conwy County Borough Council",
    "the Local Authority", "Legal Services", "the Housing Department", "Gwynedd Council", "Ceredigion County Council",
]
BRANDS = [
    "Tesco", "Aldi", "Lidl", "McDonald's", "Greggs", "Primark", "Snapchat", "TikTok", "Instagram", "WhatsApp",
    "Facebook", "Xbox", "PlayStation", "Fortnite", "Minecraft", "Roblox", "Peppa Pig", "YouTube", "Netflix",
    "Calpol", "Sudocrem", "Pampers", "Argos", "B&M", "Home Bargains", "Asda", "Morrisons", "Boots",
]
CONDITIONS = [
    "Down's syndrome", "Asperger's", "Crohn's disease", "Tourette's", "ADHD", "ASD", "Hirschsprung's disease",
    "Perthes disease", "Type 1 diabetes", "Duchenne muscular dystrophy", "Kawasaki disease",
]
LAWS = [
    "s47", "s17", "Section 20", "s31", "s76", "Children Act 1989", "Children Act 2004",
    "the Social Services and Well-being (Wales) Act 2014", "Part 4", "the Public Law Outline", "PLO",
    "Section 47", "s20", "the Mental Health Act", "a Section 2", "a DoLS", "an EPO", "an ICO",
]
MONTHS = "January February March April May June July August September October November December".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
FESTIVALS = ["Christmas", "Easter", "Eid", "Diwali", "Halloween", "Bonfire Night", "Ramadan", "St David's Day", "Bank Holiday"]

# Real outward codes (districts), Welsh and English; inward codes are made up.
OUTWARD_CODES = """CF10 CF11 CF14 CF15 CF23 CF24 CF3 CF5 CF37 CF40 CF44 CF47 CF62 CF64 CF82 CF83 SA1 SA2 SA4 SA6
SA11 SA12 SA15 SA18 SA31 SA43 SA61 SA72 NP10 NP19 NP20 NP4 NP44 NP7 NP13 LL11 LL13 LL18 LL28 LL30
LL55 LL57 LL65 LL77 SY23 SY16 LD1 CH5 CH7 LS6 LS9 LS11 LS14 BD3 BD7 S2 S5 S35 M14 M8 M40 OL1 BL3
WN5 L4 L8 B12 B23 B9 CV6 WV10 NG7 LE3 DE23 BS5 BS13 PL5 EX4 HU3 TS3 SR4 NE6 E1 E17 N9 SE15 SW9 W12
CR0 BN2 PO1 SO14""".split()

# -- capitalised words that start a sentence before a name, and are no part of it -------------------
# ("Emailed Mark Davies", "Later Chantelle rang", "Grandad Keith Baxter", "Gwelais Megan Thomas").
# The cues in HELD_OUT_CUES (about a fifth of each bank, the less common ones, chosen by hand so that the
# commonest cues are learned) appear only in dev and test. A few common cues are in no bank at all
# (Reassured, Thanked, Chased, Supported, Texted; Afterwards, Unfortunately; Stepdad; Dywedodd, Galwodd;
# "Copied in"): bench/data/pii_contexts.txt uses them to measure contexts never generated.
SENTENCE_START_VERBS = """Met Saw Visited Called Rang Phoned Emailed Messaged Contacted Told Asked Informed Reminded
Advised Updated Collected Observed Encouraged Praised Accompanied Greeted Interviewed Challenged Warned
Invited Helped Introduced Telephoned Consulted Prompted Queried Notified Assisted Escorted Welcomed
Congratulated Debriefed Approached Video-called""".split()
SENTENCE_START_ADVERBS = """Later Yesterday Today Earlier Eventually Then Initially Sadly Thankfully Fortunately
Meanwhile Recently Previously Also Again Tonight Subsequently Finally Briefly Separately Unexpectedly
Reportedly Apparently Immediately""".split()
KINSHIP_WORDS = """Mum Dad Mam Nan Nain Taid Gran Grandad Grandma Grandpa Granny Uncle Aunt Auntie Brother Sister
Cousin Stepmum Step-dad Step-mum Partner Boyfriend Girlfriend Husband Wife Neighbour Carer Godmother Nanny
Mam-gu Tad-cu Half-brother Half-sister""".split()
# Welsh sentences begin with the verb: a subject after a verb of the third person ("Ffoniodd Eleri Hughes
# y swyddfa"), an object after one of the first ("Gwelais Megan Thomas yn yr ysgol").
WELSH_VERBS_SUBJECT = """Ffoniodd Cyrhaeddodd Gadawodd Atebodd Mynychodd Gwrthododd Mae Roedd Bydd Daeth Aeth
Esboniodd Cytunodd Gofynnodd Soniodd Eglurodd Cysylltodd Arhosodd Ysgrifennodd Siaradodd Cwynodd Ymddiheurodd
Ebostiodd Anfonodd Cododd""".split()
WELSH_VERBS_OBJECT = """Gwelais Ffoniais Holais Helpais Atgoffais Cefnogais Hysbysais Croesawais Casglais
Cyflwynais Gwahoddais Rhybuddiais Cynghorais Diolchais Ebostiais Clywais""".split()
LIST_CUES = [
    "Present", "Attendees", "Attended", "Invited", "Apologies", "In attendance", "Also present", "Attendance",
    "Invitees", "Distribution", "Circulation", "Apologies received", "Not present", "Members", "Professionals present",
]
HELD_OUT_CUES = frozenset(
    """Consulted Queried Escorted Congratulated Debriefed Approached Video-called Briefly Separately Reportedly
    Subsequently Unexpectedly Godmother Nanny Half-sister Cousin Tad-cu Husband Wife Cwynodd Ymddiheurodd Soniodd
    Arhosodd Cododd Croesawais Diolchais Rhybuddiais Invitees Circulation Members""".split()
)
# First names that are ordinary words, and capitalised only because they are names ("Will Jones", "May Roberts").
WORD_FIRST_NAMES = """May Will Mark Bill Grace Joy Rose June April Holly Ivy Daisy Poppy Ruby Amber Jack Frank
Bob Rob Sue Dawn Robin Dean Guy Eve Iris Jade Heather Crystal Destiny Skye Storm River Hunter Mason Chase
Lance Grant Miles Norman Hazel Olive Violet Lily Willow Melody Harmony Sunny Penny Rusty Jet Ray Sky Autumn
Merry Patience Clay Drew Sandy""".split()
# Roles and agencies as meetings list them ("Present: SW, TM, HV, Police").
ROLE_ABBREVIATIONS = [
    "SW", "TM", "HV", "IRO", "DSL", "SENCo", "GP", "PC", "DC", "DS", "CAMHS", "YOS", "FSW", "SP", "ASW", "EDT",
    "Chair", "Minutes", "Police", "Health", "Education", "Housing", "School Nurse", "Midwife", "Probation",
    "Social Worker", "Team Manager", "Health Visitor", "Head Teacher", "Class Teacher", "Family Support",
]
# Plural acronyms, capitalised and in no dictionary ("No PPNs since the bail breach").
PLURAL_ACRONYMS = "PPNs RHIs PEPs GCSEs DSLs SWs TMs LFTs CAWNs IROs PLOs EHCPs CINs ICPCs SGOs ASBOs DBSs".split()
LANGUAGES = """English Welsh Urdu Polish Arabic Romanian Punjabi Bengali Somali Kurdish Farsi Pashto Tigrinya
Portuguese Lithuanian Czech Slovak Cymraeg Sylheti Amharic Mandarin Cantonese Turkish Dari Hungarian
Bulgarian Gujarati Tamil""".split()
