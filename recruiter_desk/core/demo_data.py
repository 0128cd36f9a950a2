"""Word lists for the demo network: names from many cultures, companies, roles, topics."""

from __future__ import annotations

# (first names, last names, cities) per culture, so names and places go together.
CULTURES: list[tuple[list[str], list[str], list[str]]] = [
    (
        ["José", "María", "Lucía", "Javier", "Sofía", "Andrés", "Camila", "Mateo", "Inés", "Álvaro"],
        ["Núñez", "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz"],
        ["Madrid", "Barcelona", "Valencia", "Mexico City", "Bogotá", "Buenos Aires"],
    ),
    (
        ["Jürgen", "Anna", "Lukas", "Lena", "Felix", "Jana", "Maximilian", "Sophie", "Tobias", "Marie"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Schäfer", "Köhler", "Groß"],
        ["Berlin", "Munich", "Hamburg", "Vienna", "Zurich", "Cologne"],
    ),
    (
        ["Renée", "Étienne", "Chloé", "Hélène", "Benoît", "Camille", "Théo", "Noémie", "François", "Léa"],
        ["Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Rousseau", "Faure", "Mercier", "Blanc"],
        ["Paris", "Lyon", "Montreal", "Brussels", "Toulouse", "Geneva"],
    ),
    (
        ["Søren", "Ingrid", "Magnus", "Astrid", "Björn", "Freja", "Lars", "Sigrid", "Oskar", "Maja"],
        ["Østergaard", "Andersson", "Johansson", "Nilsson", "Lindqvist", "Hansen", "Berg", "Dahl", "Nyström", "Åberg"],
        ["Copenhagen", "Stockholm", "Oslo", "Helsinki", "Gothenburg", "Aarhus"],
    ),
    (
        ["Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Krzysztof", "Zofia", "Michał", "Katarzyna", "Wojciech", "Ewa"],
        ["Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zieliński", "Szymańska", "Dąbrowski", "Kozłowski", "Jankowska"],
        ["Warsaw", "Kraków", "Wrocław", "Gdańsk", "Poznań", "Prague"],
    ),
    (
        ["Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Aditi", "Sanjay", "Meera", "Rahul"],
        ["Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Krishnan", "Mehta", "Banerjee", "Rao"],
        ["Bengaluru", "Pune", "Hyderabad", "Mumbai", "London", "Toronto"],
    ),
    (
        ["李明", "王芳", "张伟", "Wei", "Xiaoling", "Jun", "Mei", "Hao", "Yan", "Lei"],
        ["Li", "Wang", "Zhang", "Chen", "Liu", "Huang", "Zhao", "Wu", "Zhou", "Xu"],
        ["Shanghai", "Singapore", "Hong Kong", "Shenzhen", "Taipei", "Vancouver"],
    ),
    (
        ["Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Kaito", "Sakura", "Yuto", "Mio"],
        ["Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura", "Kobayashi", "Katō"],
        ["Tokyo", "Osaka", "Kyoto", "Fukuoka", "Yokohama", "Seoul"],
    ),
    (
        ["Minh", "Thảo", "Quang", "Linh", "Dũng", "Hương", "Tuấn", "Ngọc", "Phương", "Hải"],
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"],
        ["Ho Chi Minh City", "Hanoi", "Da Nang", "Singapore", "Sydney", "Melbourne"],
    ),
    (
        ["Chinedu", "Ngozi", "Oluwaseun", "Amara", "Tunde", "Chiamaka", "Emeka", "Folake", "Kwame", "Abena"],
        ["Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Mensah", "Nwosu", "Adebayo", "Boateng", "Owusu"],
        ["Lagos", "Accra", "Nairobi", "Abuja", "Kigali", "Johannesburg"],
    ),
    (
        ["Omar", "Layla", "Youssef", "Fatima", "Karim", "Nour", "Tariq", "Yasmin", "Hassan", "Rania"],
        ["Haddad", "Khalil", "Mansour", "Nasser", "Farouk", "Saleh", "Aziz", "Hamdan", "Rahman", "El-Sayed"],
        ["Dubai", "Cairo", "Amman", "Beirut", "Riyadh", "Casablanca"],
    ),
    (
        ["Emre", "Elif", "Can", "Zeynep", "Burak", "Ayşe", "Mert", "Selin", "Oğuz", "Deniz"],
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan", "Doğan", "Koç"],
        ["Istanbul", "Ankara", "Izmir", "Berlin", "Amsterdam", "Athens"],
    ),
    (
        ["João", "Ana", "Thiago", "Beatriz", "Rafael", "Gabriela", "Luís", "Mariana", "Pedro", "Larissa"],
        ["Silva", "Santos", "Oliveira", "Souza", "Conceição", "Araújo", "Ribeiro", "Gonçalves", "Magalhães", "Simões"],
        ["São Paulo", "Lisbon", "Porto", "Rio de Janeiro", "Belo Horizonte", "Florianópolis"],
    ),
    (
        ["Siobhán", "Liam", "Aoife", "Conor", "Niamh", "Oliver", "Charlotte", "Harry", "Emily", "George"],
        ["O'Brien", "Murphy", "Kelly", "Walsh", "Smith", "Taylor", "Brown", "Wilson", "Evans", "Thompson"],
        ["Dublin", "London", "Manchester", "Edinburgh", "Bristol", "Cork"],
    ),
    (
        ["Emma", "Jacob", "Olivia", "Ethan", "Ava", "Noah", "Madison", "Tyler", "Grace", "Marcus"],
        ["Johnson", "Williams", "Jones", "Miller", "Davis", "Anderson", "Jackson", "White", "Harris", "Clark"],
        ["New York", "San Francisco", "Austin", "Seattle", "Boston", "Chicago"],
    ),
    (
        ["Giulia", "Lorenzo", "Chiara", "Matteo", "Francesca", "Niccolò", "Elena", "Davide", "Martina", "Riccardo"],
        ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "De Luca"],
        ["Milan", "Rome", "Turin", "Bologna", "Florence", "Zurich"],
    ),
    (
        ["Jin-woo", "Seo-yeon", "Min-jun", "Ji-woo", "Hyun", "Soo-ah", "Dong-hyun", "Eun-ji", "Tae-yang", "Ha-eun"],
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"],
        ["Seoul", "Busan", "Incheon", "Tokyo", "San Jose", "Singapore"],
    ),
    (
        ["Daan", "Sanne", "Bram", "Fleur", "Jesse", "Lotte", "Sem", "Noor", "Thijs", "Femke"],
        ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos"],
        ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "The Hague", "Antwerp"],
    ),
    (
        ["Dmytro", "Olena", "Andriy", "Iryna", "Oleksandr", "Kateryna", "Nikolai", "Anastasia", "Mykola", "Yulia"],
        ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Ivanova", "Petrenko", "Melnyk", "Volkov", "Sokolova"],
        ["Kyiv", "Lviv", "Tallinn", "Riga", "Vilnius", "Warsaw"],
    ),
    (
        ["Nikos", "Eleni", "Giorgos", "Maria", "Kostas", "Dimitra", "Yannis", "Sofia", "Petros", "Katerina"],
        ["Papadopoulos", "Georgiou", "Nikolaidis", "Konstantinou", "Dimitriou", "Ioannou", "Vlachos", "Alexiou", "Christodoulou", "Karagiannis"],
        ["Athens", "Thessaloniki", "Nicosia", "Limassol", "Munich", "London"],
    ),
]

# More first names per culture (same order as CULTURES): a 100k network holds thousands of
# distinct names, and a list sorted by name must not open on one name repeated.
MORE_FIRST_NAMES: list[list[str]] = [
    ["Carmen", "Diego", "Elena", "Pablo", "Raquel", "Sergio", "Valeria", "Hugo", "Alba", "Marcos"],
    ["Katrin", "Stefan", "Miriam", "Jonas", "Lea", "Florian", "Carla", "Matthias", "Nina", "Paul"],
    ["Mathilde", "Julien", "Élodie", "Antoine", "Margaux", "Louis", "Aurélie", "Hugo", "Inès", "Rémi"],
    ["Karin", "Erik", "Linnea", "Henrik", "Elsa", "Nils", "Ebba", "Anders", "Tove", "Mikkel"],
    ["Marta", "Piotr", "Joanna", "Tomasz", "Alicja", "Kamil", "Natalia", "Jakub", "Hanna", "Marek"],
    ["Neha", "Aravind", "Divya", "Karthik", "Pooja", "Siddharth", "Lakshmi", "Nikhil", "Riya", "Varun"],
    ["Xin", "Ming", "Ying", "Tao", "Lin", "Qiang", "Hui", "Bo", "Jing", "Feng"],
    ["Riku", "Haruka", "Daiki", "Nanami", "Kenji", "Ayaka", "Takumi", "Misaki", "Shun", "Emi"],
    ["Anh", "Bảo", "Trang", "Khoa", "Mai", "Long", "Vy", "Nam", "Hạnh", "Duy"],
    ["Obinna", "Adaeze", "Kofi", "Efua", "Yaw", "Ifeoma", "Segun", "Ama", "Chidi", "Zainab"],
    ["Ali", "Mariam", "Samir", "Huda", "Ziad", "Dina", "Rami", "Salma", "Khaled", "Lina"],
    ["Kerem", "Ece", "Umut", "Gizem", "Barış", "Melis", "Onur", "İrem", "Serkan", "Pınar"],
    ["Felipe", "Juliana", "Bruno", "Camila", "Gustavo", "Letícia", "Diogo", "Inês", "Marcelo", "Rita"],
    ["Ciara", "Declan", "Sinéad", "Ronan", "Orla", "James", "Lucy", "Thomas", "Hannah", "Callum"],
    ["Abigail", "Logan", "Chloe", "Mason", "Zoe", "Caleb", "Hailey", "Dylan", "Brooke", "Isaiah"],
    ["Alessia", "Tommaso", "Sara", "Federico", "Valentina", "Gabriele", "Alice", "Simone", "Aurora", "Pietro"],
    ["Ye-jin", "Sung-min", "Da-eun", "Jae-hyun", "Yu-na", "Joon-ho", "Min-seo", "Seung-woo", "Ji-min", "Hye-jin"],
    ["Anouk", "Ruben", "Iris", "Lars", "Roos", "Stijn", "Eva", "Joris", "Maud", "Niels"],
    ["Taras", "Oksana", "Bohdan", "Halyna", "Serhiy", "Natalia", "Yaroslav", "Svitlana", "Vasyl", "Larysa"],
    ["Stelios", "Despina", "Vasilis", "Anna", "Christos", "Ioanna", "Manolis", "Georgia", "Thanos", "Vicky"],
]

# Surnames built the way each language builds them (Holm + qvist, Yama + moto, Ash + ford):
# most people in a large network carry a surname few others share.
SURNAME_PARTS: dict[int, tuple[list[str], list[str]]] = {
    2: (
        ["Aub", "Barb", "Bern", "Bouch", "Brun", "Chev", "Fourn", "Garn", "Gauth", "Gir",
         "Guill", "Lamb", "Mass", "Mich", "Mor", "Pell", "Perr", "Ren", "Roch", "Vall"],
        ["ard", "aud", "eau", "et", "ier", "in", "ot", "on", "elle", "ault"],
    ),
    4: (
        ["Adam", "Bar", "Dud", "Grab", "Jasi", "Kaczm", "Kowal", "Krawcz", "Król", "Mazur",
         "Michal", "Now", "Paw", "Sob", "Stęp", "Wiecz", "Wój", "Wrób", "Zaj", "Ziel"],
        ["czyk", "ak", "ek", "iak", "owicz", "ewicz", "uk", "as"],
    ),
    18: (
        ["Bil", "Bondar", "Dan", "Hryts", "Koval", "Kravch", "Kuz", "Lys", "Marchen", "Melnych",
         "Moroz", "Oliyn", "Petr", "Pon", "Rud", "Sav", "Shevch", "Sydor", "Tkach", "Tym"],
        ["enko", "chuk", "yuk", "ak", "ovych", "iv", "ko", "ets"],
    ),
    1: (
        ["Aal", "Acker", "Adel", "Ahl", "Alt", "Bau", "Brand", "Dorn", "Eich", "Feld", "Hoff",
         "Kirch", "Lang", "Linden", "Neu", "Rosen", "Schön", "Stein", "Wald", "Wein"],
        ["mann", "berger", "er", "feld", "hardt", "bach", "meier", "stein", "hof", "inger",
         "hauser", "bauer", "ler", "rich", "wald", "brunner", "huber", "egger", "mayr", "thaler"],
    ),
    3: (
        ["Aal", "Ahl", "Ask", "Berg", "Björk", "Dahl", "Ek", "Fors", "Hag", "Holm", "Lind", "Lund",
         "Nord", "Sand", "Sjö", "Strand", "Wall", "Åker", "Öst", "Eng"],
        ["qvist", "ström", "berg", "gren", "lund", "holm", "dal", "by", "vall", "man",
         "stedt", "sjö", "blad", "löf", "mark", "näs", "vik", "rud", "fält", "hed"],
    ),
    7: (
        ["Aka", "Ao", "Ara", "Fuji", "Hashi", "Ino", "Ishi", "Kawa", "Kita", "Ko", "Matsu",
         "Mizu", "Mori", "Naka", "Oka", "Ono", "Saka", "Take", "Yama", "Yoshi"],
        ["moto", "mura", "da", "kawa", "hara", "shita", "ta", "no", "zaki", "guchi", "uchi",
         "yama", "bayashi", "oka", "sawa", "saki", "hata", "be", "i", "shima"],
    ),
    13: (
        ["Ab", "Ack", "Ald", "Ash", "Ather", "Black", "Brad", "Brook", "Cald", "Craw", "Fair",
         "Hart", "Hol", "Mid", "Red", "Rad", "Stan", "West", "Whit", "Wood"],
        ["ford", "wood", "ley", "ton", "field", "well", "worth", "by", "ham", "more",
         "bury", "combe", "hurst", "stone", "wick", "dale", "low", "mere", "shaw", "brook"],
    ),
    14: (
        ["Ab", "Ack", "Ald", "Ash", "Ather", "Black", "Brad", "Brook", "Cald", "Craw", "Fair",
         "Hart", "Hol", "Mid", "Red", "Rad", "Stan", "West", "Whit", "Wood"],
        ["ford", "wood", "ley", "ton", "field", "well", "worth", "by", "ham", "more",
         "bury", "combe", "hurst", "stone", "wick", "dale", "low", "mere", "shaw", "brook"],
    ),
    15: (
        ["Alb", "Ang", "Barb", "Bel", "Ben", "Cap", "Cas", "Fer", "Gal", "Lom", "Mar", "Mont",
         "Pag", "Ros", "Sal", "Ser", "Tor", "Val", "Ven", "Vit"],
        ["ini", "etti", "elli", "one", "ucci", "ari", "otti", "ato", "ano", "esi"],
    ),
    17: (
        ["Aalst", "Beek", "Berg", "Bosch", "Dam", "Dijk", "Heuvel", "Hoven", "Leeuwen", "Linden",
         "Meer", "Veen", "Vliet", "Wal", "Akker", "Broek", "Hout", "Kamp", "Velde", "Zand"],
        ["van ", "de ", "van der ", "van den ", "ter ", "van ", "van de ", "ten "],
    ),
    19: (
        ["Papad", "Nikol", "Georgi", "Konstantin", "Dimitri", "Andre", "Christ", "Karag",
         "Vlach", "Alexi", "Athanas", "Stavr", "Mavr", "Spyr", "Lambr", "Anagnost"],
        ["opoulos", "idis", "akis", "ou", "atos", "iadis"],
    ),
}
# Dutch surnames put the particle first (van + Dijk); the others join root and ending.
PARTICLE_FIRST = {17}
# Spanish and Portuguese speakers usually carry two surnames.
DOUBLE_SURNAMES = {0, 12}

COMPANY_STEMS = [
    "Northwind", "Brightline", "Bluefin", "Cedar", "Helix", "Lumen", "Quarry", "Ridgeway",
    "Solace", "Tidal", "Vantage", "Wren", "Arbor", "Beacon", "Cobalt", "Driftwood", "Ember",
    "Fathom", "Granite", "Harbor", "Ironclad", "Juniper", "Kestrel", "Lattice", "Meridian",
    "Nimbus", "Orchard", "Pinnacle", "Quantum", "Redwood", "Sable", "Tessellate", "Umbra",
    "Verdant", "Willow", "Zephyr", "Atlas", "Copper", "Halcyon", "Mosaic", "Polar", "Saffron",
]
COMPANY_SUFFIXES = [
    "Analytics", "Health", "Labs", "Systems", "Robotics", "Bank", "Energy", "Logistics",
    "Software", "Security", "Bio", "Games", "Mobility", "Insurance", "Retail", "AI", "Cloud",
    "Payments", "Media", "Foods",
]
COMPANY_FORMS = ["", "", "", " GmbH", " Ltd", " Inc.", " AG", " B.V.", " & Co.", " SAS"]

SENIORITY = ["", "", "Senior ", "Staff ", "Lead ", "Principal ", "Junior "]
ROLES = [
    "Software Engineer", "Backend Engineer", "Frontend Engineer", "Data Scientist",
    "Data Engineer", "Machine Learning Engineer", "Product Manager", "Product Designer",
    "UX Researcher", "DevOps Engineer", "Site Reliability Engineer", "Security Engineer",
    "Engineering Manager", "QA Engineer", "Mobile Developer", "Solutions Architect",
    "Technical Writer", "Data Analyst", "Platform Engineer", "Embedded Engineer",
]
LEADER_TITLES = [
    "VP Engineering", "CTO", "Head of Data", "Director of Product", "Head of Design",
    "Head of Talent", "Engineering Director", "Chief Product Officer",
]

TOPICS = [
    "python", "rust", "go", "typescript", "machine learning", "distributed systems",
    "product management", "design systems", "kubernetes", "security", "data engineering",
    "frontend", "mobile", "leadership", "fintech", "climate tech", "healthtech",
    "open source", "devops", "ux research", "analytics", "ai safety", "remote work",
    "career growth", "diversity in tech",
]
TAGS = [
    "referrer", "hiring-manager", "alumni", "conference", "silver-medalist", "meetup",
    "former-colleague", "speaker", "bootcamp", "university", "vip", "community",
]
SOURCES = ["linkedin", "referral", "conference", "job board", "meetup", "github", "inbound"]

ARTICLE_TITLES = [
    ("What we learned running Kubernetes at scale", ["kubernetes", "devops"]),
    ("Rust in production: a two-year retrospective", ["rust", "open source"]),
    ("The staff engineer's path, revisited", ["leadership", "career growth"]),
    ("Designing for accessibility from day one", ["design systems", "ux research"]),
    ("Feature stores without the hype", ["machine learning", "data engineering"]),
    ("Remote teams that actually work", ["remote work", "leadership"]),
    ("Payments infrastructure explained", ["fintech", "distributed systems"]),
    ("Measuring carbon in the cloud", ["climate tech", "devops"]),
    ("TypeScript at 1 million lines", ["typescript", "frontend"]),
    ("Threat modelling for small teams", ["security"]),
    ("Evaluating LLMs responsibly", ["ai safety", "machine learning"]),
    ("Interview loops that respect candidates' time", ["career growth", "diversity in tech"]),
    ("From analyst to analytics engineer", ["analytics", "data engineering", "career growth"]),
    ("Go concurrency patterns in practice", ["go", "distributed systems"]),
    ("Shipping mobile apps weekly", ["mobile", "devops"]),
    ("HIPAA for engineers", ["healthtech", "security"]),
    ("Python packaging in 2026", ["python", "open source"]),
    ("Product discovery with tiny budgets", ["product management", "ux research"]),
]

INTERACTION_SUBJECTS = {
    "email": [
        "Quick hello", "Following up", "Thanks for your time", "Role you might like",
        "Catching up", "Re: your new position", "Interview details", "Feedback from the team",
    ],
    "call": ["Intro call", "Catch-up call", "Screening call", "Offer discussion", "Reference call"],
    "meeting": ["Coffee", "Lunch", "Meetup chat", "Onsite visit", "Conference catch-up"],
    "message": ["LinkedIn message", "Congrats on the new role", "Quick question", "Checking in"],
    "article": ["Thought you'd like this", "An article on your favourite topic"],
    "note": ["Call notes", "Interview notes", "Preferences noted", "Reference notes"],
}
