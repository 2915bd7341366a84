"""Openings, closings and headings per stage / note type, plus terse manager approvals.

OPENINGS[stage]: first sentence of a note at that stage of the case story.
CLOSINGS[note_type code]: optional last sentence.
HEADINGS[note_type code]: section name -> heading variants for templated notes.
TERSE: bare manager approvals (management_oversight_missing, hard_case terse_approval).
Lines may carry flags then ' | ' as in neutral.py.
"""

OPENINGS = {
"referral": r"""
MASH contact received from {agency} regarding {ca}.
Contact logged today from {agency} about {ca}.
New referral: {ca}, lives with {mum}.
Referral received by phone from {agency} this morning.
MASH screening record for {ca}.
Contact from {agency}, received by email at 9.40am.
Re-referral received for {ca}; the family were previously known in 2021.
Referral passed to the front door from {agency} concerning {ca} and {sib}.
""",
"placement": r"""
Placement record for {ca}.
Case note: placement update for {ca}.
Update on {c}'s placement with {carer}.
Placement information for {ca}, looked after.
""",
"initial_visit": r"""
Initial home visit following the referral from {agency}.
Unannounced initial visit to {mum} and {ca}.
First visit to the family following allocation.
Initial visit to assess the concerns raised by {agency}.
Announced visit to meet {mum} and {c} for the first time.
Visit to introduce myself and explain the assessment to {mum}.
""",
"s47_visit": r"""
s47 visit, joint with police.
Home visit as part of the s47 enquiries.
Joint visit with the DC from CAIT under s47.
Visit to see {c} following the strategy discussion.
s47 home visit to see {c} and {sib} and speak with {mum}.
""",
"strategy": r"""
Strategy discussion held by Teams; present: TM (chair), SW, DC from CAIT, {dsl} and the HV.
Strategy meeting re {ca}; attendees were police, health, education and CSC.
Strategy discussion by phone between the SW, police and the named nurse.
Strategy discussion convened following the referral from {agency}.
Present: duty TM (chair), SW, police PPU, the school nurse and {dsl}.
Strategy discussion re {c} and {sib}, held at the police station.
""",
"assessment": r"""
C&F assessment summary for {ca}.
Single assessment: analysis and recommendation.
Child and family assessment completed for {ca}.
Assessment summary - {ca}.
Summary of the s47 assessment.
Assessment of {c}'s needs, completed with {mum}.
""",
"icpc": r"""
ICPC held today for {ca}; {c} is now subject to a CP plan under the category of [neglect|emotional abuse|physical abuse].
Initial child protection conference; present: chair, SW, {mum}, {dad}, HV, {dsl} and police.
ICPC notes for {c}: the conference agreed a CP plan, with all agencies in agreement.
Initial conference held at the civic offices; {mum} attended with her advocate.
ICPC: {c} and {sib} made subject to CP plans; the first core group is to be held within ten working days.
""",
"core_group": r"""
Core group meeting held at {school}.
Core group; present: SW, {mum}, HV, {dsl}, FSW.
Core group meeting for {c}, held at the family centre.
Core group by Teams with all agencies.
""",
"rcpc": r"""
RCPC held for {ca}; the CP plan is to continue for a further six months.
Review child protection conference; present: chair, SW, {mum}, {dsl}, HV and police.
Review conference for {c} and {sib}.
RCPC notes.
RCPC: the conference agreed that {c} no longer needs a CP plan and will step down to a CIN plan.
""",
"cin_meeting": r"""
CIN meeting held at home with {mum}.
CIN meeting; present: SW, {mum}, {dsl}, FSW and HV.
Child in need meeting for {ca}.
CIN planning meeting held at {school}.
""",
"cin_review": r"""
CIN review meeting.
CIN review held at the family centre; present: SW, {mum}, {dsl} and FSW.
Review of the CIN plan for {c}.
CIN review, with {mum} and agencies.
""",
"lac_review": r"""
LAC review for {ca}, chaired by the IRO.
CLA review held at the foster home; present: IRO, SW, {carer}, the supervising social worker and {c}.
Looked after review; {c} attended part of the meeting.
IRO record of the LAC review for {c}.
Second LAC review for {ca}.
""",
"kin_review": r"""
Review meeting for {c}'s kinship arrangement with {carer}.
Kinship review; present: SW, {carer}, the kinship support worker and {dsl}.
Review of the arrangement with {carer}, held at her home.
Family network meeting for {c}.
""",
"visit": r"""
Statutory visit to {ca}.
CP visit.
Home visit to {mum} and the children.
Announced CIN visit.
Unannounced visit.
Visit to see {c} at home after school.
Home visit as per the CP plan.
Visit to the family home.
Planned home visit.
Routine visit to see {c} and {mum}.
""",
"lac_visit": r"""
Statutory LAC visit to {c} at the foster home.
Visit to {c} in placement.
LAC visit; seen {c} and {carer}.
Placement visit to {ca}.
""",
"kin_visit": r"""
Visit to {carer} and {c}.
Kinship visit to {c} at {carer}'s home.
Reg 24 visit to {carer}.
Home visit to {carer} to see {c}.
""",
"kin_assessment": r"""
Connected person assessment summary for {carer}.
Viability assessment of {carer} as a carer for {c}.
Kinship assessment: summary and recommendation.
""",
"fsw": r"""
FSW session with {mum}.
Family support session at home.
FSW visit.
IFSS session with {mum} and {c}.
Family support: weekly session.
Session with {mum} on routines.
""",
"call": r"""
Phone call from {mum}.
Call to {agency}.
Telephone call with {dsl}.
Email received from {agency}.
Phone call to {mum} to follow up the visit.
Call from the HV.
Telephone discussion with {agency}.
""",
"casenote": r"""
Case note.
Case recording.
Update.
File note.
Case update for {c}.
""",
"supervision": r"""
Supervision record: SW and TM.
Case supervision for {ca}.
Supervision - case discussion re {c}.
Monthly supervision; this case was discussed.
Supervision with the SP.
Supervision record.
""",
"mgmt": r"""
Management oversight.
TM oversight.
Management decision re {ca}.
Manager's review of the case.
Management oversight following the assessment.
""",
"closure": r"""
Closure summary.
Case closure.
Closing summary for {ca}.
Summary of involvement and closure.
Step down summary.
""",
}

CLOSINGS = {
"hv": r"""
Visit ended at 4.30pm.
I left at about 11am.
{c} waved me off at the door.
Next visit booked.
{mum} was given a copy of the plan.
Visit lasted just over an hour.
""",
"ct": r"""
Recorded on the contact record.
Information saved to the file.
Call ended at 2.15pm.
""",
"cn": r"""
Saved to the file.
Documents uploaded.
Chronology updated.
""",
"su": r"""
Next supervision in four weeks.
Supervision lasted one hour.
""",
"md": r"""
Oversight recorded on the case file.
Decision shared with the allocated SW.
""",
"sd": r"""
Minutes to be circulated to all attendees.
Discussion lasted 40 minutes.
""",
"as": r"""
Assessment shared with {mum}.
{mum} was given a copy of the assessment and her comments are attached.
""",
"me": r"""
Next meeting date agreed.
Minutes to follow.
The family were given a copy of the plan.
""",
"cl": r"""
Chronology and case summary updated.
{mum} has the front door number if she needs help in future.
""",
}

HEADINGS = {
"hv": {"purpose": ["Purpose of visit:", "Purpose:", "Reason for visit:"],
       "obs": ["Observations:", "Observations/discussion:", "Home environment and discussion:"],
       "voice": ["Child's voice:", "Voice of the child:", "Child seen:", "Views of the child:"],
       "analysis": ["Analysis:", "Analysis of risk:", "Worker's analysis:"],
       "plan": ["Actions:", "Plan:", "Next steps:"]},
"ct": {"purpose": ["Contact:", "Source:", "Reason for contact:"],
       "obs": ["Details:", "Information:", "Information shared:"],
       "voice": ["Child's voice:"],
       "analysis": ["Decision:", "Outcome:"],
       "plan": ["Action:", "Actions:"]},
"cn": {"purpose": ["Note:", "Subject:"],
       "obs": ["Detail:", "Update:"],
       "voice": ["Child's view:"],
       "analysis": ["Comment:"],
       "plan": ["Action:", "Actions:"]},
"su": {"purpose": ["Supervision:", "Case:"],
       "obs": ["Update:", "Case update:"],
       "voice": ["Child's voice:"],
       "analysis": ["Reflection:", "Discussion and reflection:", "Case discussion:"],
       "plan": ["Actions:", "Agreed actions:"]},
"md": {"purpose": ["Management oversight:", "Oversight:"],
       "obs": ["Summary:", "Case summary:"],
       "voice": ["Child's views:"],
       "analysis": ["Decision and rationale:", "Decision:", "Rationale:"],
       "plan": ["Actions:", "Direction:"]},
"sd": {"purpose": ["Meeting:", "Strategy discussion:"],
       "obs": ["Information shared:", "Agency information:"],
       "voice": ["Child's voice:"],
       "analysis": ["Outcome:", "Decision:"],
       "plan": ["Actions:"]},
"as": {"purpose": ["Assessment:", "Summary:"],
       "obs": ["Findings:", "Information gathered:"],
       "voice": ["Child's views:", "Voice of the child:"],
       "analysis": ["Analysis:", "Assessment of risk and need:"],
       "plan": ["Recommendation:", "Plan:"]},
"me": {"purpose": ["Meeting:", "Meeting details:"],
       "obs": ["Progress and updates:", "Agency updates:"],
       "voice": ["Child's views:", "Voice of the child:"],
       "analysis": ["Discussion:", "Review of the plan:"],
       "plan": ["Plan:", "Actions:", "Next review:"]},
"cl": {"purpose": ["Closure:", "Summary:"],
       "obs": ["Work undertaken:", "Summary of involvement:"],
       "voice": ["Child's views:"],
       "analysis": ["Outcome:", "Reason for closure:"],
       "plan": ["Actions:", "Closure:"]},
}

TERSE = r"""
Agreed. TM.
Agreed - TM
@late | Agree. Close.
Noted and agreed.
@late | Agree with SW. NFA.
Agreed, proceed.
@late | Step down agreed. TM
@late | Closure agreed.
Agree with the recommendation. TM
Seen. Agree.
Authorised.
@late | Agreed to close. TM
@late | OK to close.
Agree CIN.
Noted. Continue with the plan.
@late | Agree - step down to EH.
Agreed. Continue.
@late | Agree NFA. TM.
Agree with the plan as set out.
Approved. TM
Read and agreed.
@late | Agree - close case.
Happy with this. TM
Agreed. ICPC.
Noted.
Agree with the outcome. TM
Agreed, thanks.
Fine to proceed. TM
"""
