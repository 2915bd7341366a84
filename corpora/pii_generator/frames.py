"""Sentence frames: where identifiers leak into case notes, and look-alikes that are not personal data.

Personal-data slots (gold spans): {PERSON} full name, {FIRST} first name, {SURNAME}
a surname (write the title in the frame: "Mrs {SURNAME}"), {ADDRESS}, {POSTCODE},
{PHONE}, {EMAIL}, {DOB} (a date in a birth context), {NHS}, {NI}, {SCHOOL}.
Look-alike slots (never gold): {INITIAL}, {ROLE}, {AGENCY}, {HOSPITAL}, {COUNCIL},
{DATE}, {REF}, {BADNHS}, {AMOUNT}, {LAW}, {TOWN}, {MONTH}, {DAY}, {FESTIVAL},
{BRAND}, {CONDITION}, {AGE}.
Words that lead into a name and are no part of it (never gold): {VERB} a capitalised verb, {ADVERB},
{KIN} a kinship word, {WVERB3} a Welsh verb before its subject, {WVERB1} a Welsh verb before its object,
{LISTCUE} a meeting list's heading ("Present"); {WFIRST} is a first name that is an ordinary word
("Will", "May"): gold. Look-alikes: {ROLEABBR} ("SW", "Police"), {LANGUAGE}, {ACRONYMS} ("PPNs").
Frames are held out by position (every fourth of each block) for the dev and test splits.
"""

PII_FRAMES = """
Visited {FIRST} at home with {ROLE}; {FIRST} showed me {his} bedroom.
{PERSON} (mother) was present throughout the visit.
Spoke to {PERSON} on {PHONE} to arrange the next visit for {DAY}.
Mum's new mobile number is {PHONE}.
Contact details updated: tel {PHONE}, email {EMAIL}.
The family have moved to {ADDRESS}, {TOWN} {POSTCODE}.
New address: {ADDRESS}, {POSTCODE}.
Home visit to {ADDRESS}. {FIRST} answered the door.
{FIRST} (DOB {DOB}) was seen alone in {his} room.
Child's details: {PERSON}, date of birth {DOB}, NHS number {NHS}.
NHS no. {NHS} confirmed with the GP surgery.
{FIRST} attends {SCHOOL} and is in Year {YEAR}.
Spoke with the DSL at {SCHOOL}, who said attendance is 82% this term.
Mrs {SURNAME} from {SCHOOL} rang to share concerns about {FIRST}'s lunchbox.
Dad, {PERSON}, did not attend the meeting.
Mr {SURNAME} said he would ring back from {PHONE} but did not.
{FIRST}'s father {PERSON} has contact every other weekend at {ROLE}'s house.
Email sent to {EMAIL} with the minutes of the core group.
Mum asked that letters go to her sister's address at {ADDRESS}, {TOWN}.
Baby {FIRST} was born on {DOB} at {HOSPITAL}.
{PERSON}, born {DOB}, is the youngest of three.
NI number for mum is {NI}, given for the Universal Credit claim.
Mum's National Insurance number ({NI}) is on the housing form.
Referral from {AGENCY} regarding {PERSON}, DOB: {DOB}.
Ms {SURNAME} (agency SW) is covering the case this week.
Phoned {FIRST}'s nain on {PHONE}; she is happy to have {FIRST} after school.
Letter sent to {ADDRESS}, {POSTCODE} confirming the date of the review.
{FIRST} and {FIRST2} were both at home; {FIRST2} was watching television.
Strategy discussion held with DC {SURNAME} from {AGENCY}.
Dr {SURNAME} at the GP practice said {FIRST} has missed two appointments.
{FIRST} told me that {PERSON} shouts at {him} when {he} is drunk.
Mum's partner {PERSON} refused to give his date of birth.
{PERSON}'s date of birth is {DOB} and she is 17.
Maternal grandmother {PERSON} lives at {ADDRESS} and has offered to help.
The family's details: {ADDRESS}, {TOWN}, {POSTCODE}; home phone {PHONE}.
Call back requested on {PHONE} after 3pm.
{FIRST} is in Reception at {SCHOOL}.
Transport to {SCHOOL} is arranged by the council.
Head teacher Mr {SURNAME} has agreed a reduced timetable.
{FIRST} goes to {SCHOOL} three mornings a week.
I met {FIRST} at {SCHOOL} and we spoke in the nurture room.
Contact supervised by {PERSON} (family support) at the contact centre.
Housing officer {PERSON} confirmed rent arrears of {AMOUNT}.
Mum gave her email as {EMAIL} and asked for the plan to be sent there.
Paternal uncle {PERSON}, {PHONE}, willing to be assessed as a kinship carer.
{FIRST} {SURNAME2} (DOB {DOB}) - subject child.
Name: {PERSON}. D.O.B. {DOB}. Address: {ADDRESS}, {POSTCODE}.
Sibling: {PERSON}, dob {DOB}, attends {SCHOOL}.
{PERSON} was arrested on {DAY} and released under investigation.
Met with {FIRST} and {his} mum {PERSON} at the Family Centre.
{FIRST} says {his} best friend {FIRST2} lives on the same street.
Mr {SURNAME} is now living at {ADDRESS} with his new partner.
Mum said she is staying with a friend at {ADDRESS} until the flat is repaired.
Ring {FIRST} on {PHONE} rather than the landline.
Text sent to {PHONE} reminding mum of the appointment.
{FIRST}'s NHS number is {NHS}.
GP records for NHS number {NHS} requested.
Health visitor {PERSON} attended the visit.
I spoke with {PERSON}, class teacher at {SCHOOL}.
Checks completed on {PERSON} ({DOB}); no trace.
Police checks on Mr {SURNAME}, DOB {DOB}, showed two previous DV call-outs.
{PERSON} - tel: {PHONE} - has PR for {FIRST}.
{FIRST} is excited about moving up to {SCHOOL} in September.
Carer's address: {ADDRESS}, {TOWN}.
Email from {EMAIL} received at 16:40.
Grandad {PERSON} was in the kitchen.
Discussed with {FIRST} who {he} would talk to if scared; {he} said {FIRST2} and Mrs {SURNAME}.
Mum's friend {FIRST} was present and left when asked.
{FIRST} told the teacher that {FIRST2} hit {him}.
Visit to the foster placement at {ADDRESS}.
{FIRST} has settled well with {PERSON}, {his} foster carer.
Appointment letter addressed to {PERSON}, {ADDRESS}, {TOWN}, {POSTCODE}.
Unborn baby of {PERSON} (DOB {DOB}) - pre-birth assessment.
Father's details: {PERSON}, NI {NI}, mobile {PHONE}.
School contact: {SCHOOL}, tel {PHONE}.
{FIRST} was born {DOB} and is the subject of a CP plan.
Mum ({PERSON}) asked for copies of the minutes to be emailed to {EMAIL}.
Spoke to {FIRST} alone; {he} said {he} likes living with {FIRST2}.
{FIRST} moved schools from {SCHOOL} to {SCHOOL2} after the exclusion.
Tried {PHONE} twice; no answer and no voicemail.
Nursery ({SCHOOL}) report good progress with toileting.
Neighbour {PERSON} at number {NUM} has called the police twice.
Mum's ex-partner {PERSON} is believed to be living at {ADDRESS}.
Home address confirmed as {ADDRESS}.
{PERSON} rang the duty line from {PHONE} at 11:20.
Family support worker {PERSON} to start sessions next week.
Dad gave his date of birth as {DOB}.
{FIRST} (born {DOB}) presented with bruising to the upper arm.
Contact: {PERSON} {PHONE}
Email: {EMAIL}
Tel: {PHONE}
Address: {ADDRESS}, {TOWN}, {POSTCODE}
DOB: {DOB}
NHS: {NHS}
School: {SCHOOL}
"""

LOOKALIKE_FRAMES = """
Visited {INITIAL} at home; {ROLE} was present.
{ROLE} was calm and engaged throughout the visit.
Referral to {AGENCY} made today.
{INITIAL} has been referred to {AGENCY} for an assessment.
{INITIAL} was taken to {HOSPITAL} by ambulance on {DATE}.
ICPC held on {DATE}; {INITIAL} made subject to a CP plan.
Next visit booked for {DATE}.
RCPC due {DATE}.
Case ref {REF} - please quote on all correspondence.
Strategy discussion under {LAW} held with {AGENCY} and Health.
{ROLE} says the rent arrears are now {AMOUNT}.
{INITIAL} is 7 and attends school most days.
Mr {LETTER} did not attend; Mrs {LETTER} said he was at work.
{INITIAL} (age {AGE}) was seen alone and said things are better.
The family moved from {TOWN} to {TOWN2} in {MONTH}.
{ROLE} has been going to {AGENCY} on {DAY}s.
EDD {DATE}; midwife aware.
Crime reference {REF} given by {AGENCY}.
{ROLE} rang {AGENCY} on 101 to report the incident.
LCS ID {REF}.
The number given ({BADNHS}) does not pass the NHS check and was queried with the GP.
Ref {BADNHS} appears on the court bundle.
Legal planning meeting with {COUNCIL} on {DATE}.
Case transferred from {COUNCIL} on {DATE}.
{INITIAL} spends a lot of time on {BRAND} and {BRAND2}.
{ROLE} bought school shoes from {BRAND} with the {AMOUNT} grant.
{INITIAL} has a diagnosis of {CONDITION} and sees the paediatrician at {HOSPITAL}.
Over {FESTIVAL} {INITIAL} stayed with {ROLE}.
Family court hearing at {COUNCIL} listed for {DATE}.
Visit on {DAY} {DATE} at 10:30.
Date of visit: {DATE}.
Date of next review: {DATE}
{INITIAL} was born prematurely and spent two weeks in special care.
The baby was born at 34 weeks at {HOSPITAL}.
{INITIAL} is in Year {YEAR} and doing well in maths.
Children Act 1989 section 17 assessment started {DATE}.
Assessment completed within {NUM} working days.
{ROLE} and {ROLE2} both attended the core group.
Discussed with TM; case to remain open under {LAW}.
Room {NUM}B at the civic centre was booked for the meeting.
Family were given a food parcel and a {AMOUNT} fuel voucher.
{INITIAL} and {INITIAL2} were playing on the {BRAND} when I arrived.
{ROLE} confirmed she has registered with a new GP in {TOWN}.
Journey to {TOWN} took two hours on the M4.
{INITIAL}'s PEP review held in {MONTH}; targets set.
Spoke to the DSL at school, who had no new concerns.
{ROLE} attended the {AGENCY} group for the first time.
Referral number {REF} logged by the MASH.
WCCIS reference {REF} added to the file.
Mosaic ID {REF} - see previous assessment.
{INITIAL} has been off school since {MONTH}.
Child A and Child B were both present.
Mr {LETTER}'s mother has offered to help with school runs.
{ROLE} says {INITIAL} saw {HOSPITAL} A&E on {DATE} with a chest infection.
Rent is {AMOUNT} a week and is paid directly to the landlord.
Strategy meeting minutes dated {DATE} circulated.
Supervision on {DATE}: case discussed with TM.
Invoice {REF} for the contact centre paid.
{INITIAL} has started at a new nursery and is settling.
The CIN review on {DATE} agreed step down to Early Help.
{AGENCY} closed their involvement in {MONTH}.
{INITIAL} told {ROLE} that {INITIAL2} took the phone.
Telephone call to {AGENCY} at 14:15 - no answer.
{ROLE}'s phone was off so a text was sent.
"""

# Names led into by a capitalised word that is no part of them, lists of names, first names that are
# ordinary words; and the same leads before words that are not names. A note gets some of these on top of
# the frames above, so the frames above keep their share of each type.
NAME_CONTEXT_FRAMES = """
{VERB} {PERSON} about the date of the next review.
{VERB} {PERSON} on {DAY} to go through the safety plan.
{VERB} {FIRST} after school and we talked about home.
{VERB} {PERSON} and agreed the actions from the core group.
{VERB} {FIRST} at {SCHOOL} to explain the assessment.
{VERB} {FIRST} {SURNAME2} at the contact centre before the session.
{VERB} Mrs {SURNAME} regarding the missed appointment.
{VERB} {PERSON}, who said the children were fine.
{VERB} {FIRST}; {he} was quiet but polite.
{ADVERB} {PERSON} rang back and asked for the minutes.
{ADVERB} {FIRST} said {he} wanted to stay at home.
{ADVERB} {FIRST} {SURNAME2} arrived with a support worker.
{ADVERB} {PERSON} admitted drinking before contact.
{KIN} {PERSON} was present for part of the visit.
{KIN} {FIRST} collects the children from school on {DAY}s.
{KIN} {FIRST} {SURNAME2} has offered respite at weekends.
{KIN} {PERSON} (DOB {DOB}) has moved into the home.
{KIN} {FIRST} is not to have unsupervised contact.
{WVERB3} {PERSON} yn ystod yr ymweliad.
{WVERB3} {FIRST} ar ôl ysgol heddiw.
{WVERB3} {PERSON} i'r swyddfa ddoe.
{WVERB1} {PERSON} yn y cartref y bore yma.
{WVERB1} {FIRST} ynglŷn â'r cynllun diogelwch.
{WVERB1} {FIRST} {SURNAME2} yn y ganolfan deulu.
{LISTCUE}: {PERSON}, {PERSON}, {PERSON}.
{LISTCUE}: {PERSON} ({ROLEABBR}), {PERSON} ({ROLEABBR2}), {PERSON} ({ROLEABBR3}).
{LISTCUE}: {PERSON}, {PERSON} and {PERSON}.
{LISTCUE}: Mum, Dad, {PERSON} ({ROLEABBR}), {PERSON} ({AGENCY}).
{LISTCUE}: {ROLEABBR} {PERSON}, {ROLEABBR2} {PERSON}, Mrs {SURNAME} ({ROLEABBR3}).
{LISTCUE}: {PERSON}, {PERSON}, {PERSON}, {PERSON}, {PERSON}.
{LISTCUE} - {PERSON}, {PERSON}.
Children seen: {FIRST2}, {FIRST2} and {FIRST}.
Core group held with {PERSON}, {PERSON}, {PERSON} and DC {SURNAME}.
{WFIRST} {SURNAME2} attended with an advocate.
{WFIRST} {SURNAME2} is the children's maternal aunt.
{WFIRST} {SURNAME2} rang to ask about contact.
Spoke with {WFIRST} {SURNAME2} about the rent arrears.
Spoke to {WFIRST} after school about the move.
{FIRST2} and {WFIRST} were both at home.
Contact between {FIRST} and {WFIRST} went well.
{WFIRST} {SURNAME2} (DOB {DOB}) is the subject child.
{WFIRST} {SURNAME2} said she would ring back after work.
{WFIRST} {SURNAME2} has been offered a tenancy.
{WFIRST} {SURNAME2} was not at home when I called.
{WFIRST} {SURNAME2} and {PERSON} share parental responsibility.
{WFIRST} {SURNAME2} is the allocated family support worker.
{ADDRESS}
{PERSON}
"""

NAME_CONTEXT_LOOKALIKES = """
{VERB} {AGENCY} about the referral.
{VERB} {COUNCIL} for an update on the application.
{VERB} {ROLE} to confirm the time of the visit.
{VERB} {INITIAL} after school; {he} seemed happier.
{VERB} {HOSPITAL} to check the discharge date.
{ADVERB} {ROLE} rang to cancel.
{ADVERB} {INITIAL} said {he} was fine.
{ADVERB} {AGENCY} confirmed the case is closed.
{KIN} {LETTER} was at home.
{KIN} and {ROLE} were both present.
{KIN} came to the door.
Spoke {LANGUAGE} throughout; no interpreter was needed.
Speaks {LANGUAGE} at home and {LANGUAGE2} at school.
Said {DAY}s are the hardest because of the school run.
Said {MONTH} had been a difficult month.
The {ROLEABBR} has completed the referral.
{LISTCUE}: {ROLEABBR}, {ROLEABBR2}, {ROLEABBR3}, Police.
{LISTCUE}: {ROLE}, {ROLE2}, {AGENCY}.
{LISTCUE}: {AGENCY}, {AGENCY2}, Housing, Education.
{LISTCUE}: Mum, Dad, {INITIAL} and {INITIAL2}.
Drove to {TOWN} for the core group.
Left {TOWN} at 3pm after the hearing.
{TOWN} office was closed because of the snow.
Travelled back from {TOWN} with {ROLE}.
{WVERB3} {ROLE} yn ystod yr ymweliad.
{WVERB1} y plant yn yr ysgol heddiw.
{WVERB3} {INITIAL} i'r swyddfa ddoe.
{WVERB3} yr heddlu am hanner nos.
Will ring {ROLE} on {DAY} to confirm.
May need a referral to {AGENCY}.
Mark the case for closure at the next review.
Hope to visit again within ten working days.
Will visit again on {DAY} with {ROLE}.
No {ACRONYMS} since the last review.
Two {ACRONYMS} were shared by {AGENCY} this month.
{ADVERB} {ACRONYMS} were discussed at the core group.
Placements considered: {TOWN}, {TOWN2} and {TOWN}.
Contact: {TOWN} on {DAY}s, {TOWN2} at weekends.
"""

NEUTRAL_FRAMES = """
The home was warm and tidy and there was food in the fridge.
Discussed the plan and agreed actions with the family.
Case discussed in supervision; actions recorded on the file.
No new concerns reported by school this week.
The child was seen alone and said things are calmer at home.
Mother engaged well and asked sensible questions about the plan.
Safety plan reviewed and still appropriate.
I will visit again within ten working days.
Agreed to hold a core group before the review conference.
The bedroom had a bed, clean bedding and some toys.
"""


def lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]
